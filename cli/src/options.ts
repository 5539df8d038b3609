import { parseArgs } from "node:util";
import type { EngineName, Language } from "../../wasm-runtime/index.ts";
import { DEFAULT_TIMEOUT_MS } from "../../wasm-runtime/index.ts";
import { C_LANGUAGE } from "../../wasm-runtime/languages/c.ts";
import { INTERPRETERS, isScriptLanguage, SHELL, SOURCE_LANGUAGES } from "../../wasm-runtime/languages/index.ts";
import { parsePolicyFlags, PolicyError, type PolicyFlags } from "../../wasm-runtime/policy/index.ts";
import { isWithin, mountPath, WorkspaceError } from "../../wasm-runtime/workspace/index.ts";
import { secretOptionOf, type SecretOption } from "./secret-values.ts";

/** File extension → language, from the interpreters' own lists. */
const EXTENSIONS: Record<string, Language> = Object.fromEntries([
  ...Object.entries(INTERPRETERS).flatMap(([language, { extensions }]) => extensions.map((ext) => [ext, language])),
  ...SHELL.extensions.map((ext) => [ext, "shell"]),
  ...C_LANGUAGE.extensions.map((ext) => [ext, "c"]),
  [".wasm", "wasm"],
]);
const LANGUAGE_NAMES = [...SOURCE_LANGUAGES, "wasm"].join("|");

export const USAGE = `usage: playpen run [OPTIONS] FILE|- [ARGS...]

Runs FILE (or the program read from stdin, with -) inside the WebAssembly sandbox.
  --lang LANG          ${LANGUAGE_NAMES} (default: from the extension,
                       ${Object.keys(EXTENSIONS).join(" ")}; python for -)
  --timeout MS         wall-clock limit in milliseconds (default ${DEFAULT_TIMEOUT_MS})
  --json               print one JSON object {exitCode, reason, stdout, stderr, durationMs, audit, alerts},
                       with "mounts" (what went back to each HOSTDIR) when --mount is given
  --engine NAME        wasmer or gated (default: gated when a policy is given, else wasmer)
  --policy FILE        a policy document (JSON); the flags below add rules to it
  --allow-read[=PATHS]  --allow-write[=PATHS]  --allow-net[=HOSTS]  --allow-env[=NAMES]
  --allow-secret[=NAMES]  --allow-tool[=NAMES]  --allow-run[=COMMANDS]  and --deny-… of each: comma-separated,
                       globs allowed, relative paths are under /workspace; alone = everything
  --learn FILE         run with everything granted and recorded, then write to FILE the
                       narrowest policy that allows exactly what the run did (a note per
                       rule says which calls needed it); rerun with --policy FILE.
                       Not with --policy or --allow-/--deny- flags; gated engine only
  --memory MIB         memory limit of the guest
  --audit FILE         write the run's audit events to FILE as JSON Lines
  --trace FILE         write every WASI call of the run to FILE as JSON Lines (gated engine)
  --tool NAME=FILE.js  a host tool: FILE.js holds \`async (args, context) => result\`,
                       run on the host, unconfined; the guest calls it through /host/NAME
  --mount HOSTDIR:GUESTDIR[:ro]  copy the host folder into the guest at GUESTDIR (absolute:
                       /data, /workspace/data); a grant to read it, and to write it unless
                       :ro. Repeatable. Symlinks and special files in it are skipped.
                       HOSTDIR:/ makes the folder the whole guest filesystem (a raw
                       .wasm module only, gated engine; like wasmtime's --dir HOSTDIR::/)
  --env NAME=VALUE     a variable the guest sees (repeatable; a grant of NAME, unless a
                       deny rule withholds it). A .wasm module sees exactly these;
                       a language sees them beside the ones its runtime needs
  --cwd DIR            the guest's working folder (absolute; default /workspace). Given
                       as PWD, which a language's runtime changes to; a .wasm module
                       sees PWD only (WASI has no working folder of its own)
  --commit WHEN        when a writable mount's changes go back to HOSTDIR: by default
                       only if the run exits 0; always: whatever the exit status; never;
                       ask: list them and ask on the terminal (refused without one).
                       A run stopped, timed out or crashed leaves no final state, so
                       nothing is written back then. Every changed path is listed before
                       anything is written. Protected paths (.git/, .ssh/, shell start-up
                       files, .env*, .npmrc, *.pem) stay read-only unless granted by name
                       (--allow-write=/repo/.git/**); a changed name with a control
                       character, a slash look-alike or a leading - refuses the write-back
  --raw-output         pass the guest's control characters (escape sequences) to a
                       terminal; by default they are shown as visible text (ESC as ^[)
  --secret NAME=VALUE  the value of a secret (repeatable); --secret NAME takes it from your
                       environment, which keeps it out of the process list. The guest sees
                       it only with --allow-secret=NAME; it is hidden in everything that
                       leaves the run (output, files, audit, --json) in any spelling the
                       filter knows, and sent only where the policy binds it ("hosts")
  --secrets-file FILE  secret values from a dotenv file (NAME=VALUE lines)
  --alert-hook FILE.js FILE.js holds \`async (alert, context) => …\`, called on the host
                       for each alert (post it to a webhook, a chat…)
  --alert-tool NAME    the user tool NAME (given with --tool NAME=FILE.js) receives each
                       alert as its args, called by the host whatever the guest may call
  --fail-on-alert      exit 125 after the run when it raised any alert
Without a policy the run gets "Workspace only": /workspace read-write, nothing else.
An "ask" rule prompts on the terminal when stdin is one, and is a denial otherwise.
Alerts (decoy touched, a secret leaving, probing, a rate limit hit, a write to a protected
path, "Allow always") are printed as "playpen: alert: …" on stderr and listed as "alerts"
in --json.
Exit status: the guest's own; 124 when the time limit is reached; 126 when it cannot
run; 125 with --fail-on-alert after an alert; 2 for a mistake in the command line. When FILE is not - and stdin is not a
terminal, stdin is passed to the guest.`;

export interface RunOptions {
  language: Language;
  timeoutMs: number;
  json: boolean;
  /** Unset: chosen from whether a policy was given. */
  engine?: EngineName;
  policyFile?: string;
  policyFlags: PolicyFlags;
  /** --learn: where the learned policy goes. */
  learnFile?: string;
  memoryMiB?: number;
  auditFile?: string;
  traceFile?: string;
  /** Tool name → file holding its JavaScript source. */
  toolFiles: Record<string, string>;
  /** --mount, in order; `host` as given, resolved against the caller's folder when the command runs. */
  mounts?: MountOption[];
  /** --commit; unset: a writable mount's changes go back only when the run exits 0. */
  commit?: CommitWhen;
  /** --secret, in order (values not yet looked up in the caller's environment). */
  secrets: SecretOption[];
  secretsFile?: string;
  alertHookFile?: string;
  /** --alert-tool: the user tool (one of toolFiles) that receives each alert. */
  alertTool?: string;
  failOnAlert: boolean;
  /** --raw-output: the guest's control characters reach a terminal as they are. */
  rawOutput: boolean;
  /** --env, in order. */
  env: Record<string, string>;
  /** --cwd, canonical. */
  cwd?: string;
  file: string;
  args: string[];
}

export interface MountOption {
  host: string;
  /** Canonical guest path (see mountPath). */
  guest: string;
  readOnly: boolean;
}

export type CommitWhen = "always" | "never" | "ask";

/** A mistake in the command line: reported with the usage, exit status 2. */
export class UsageError extends Error {}

/** Playpen's flags that take the next argument as their value (unless written --flag=value). */
export const VALUE_FLAGS = new Set(["--lang", "--timeout", "--engine", "--policy", "--learn", "--memory", "--audit", "--trace", "--tool", "--mount", "--commit", "--env", "--cwd", "--secret", "--secrets-file", "--alert-hook", "--alert-tool"]);

export function parseRunOptions(argv: readonly string[]): RunOptions {
  const [command, ...rest] = argv;
  if (command !== "run") throw new UsageError(command ? `unknown command "${command}"` : "missing command");
  // Playpen's own flags come first; everything from FILE on belongs to the guest, flags included.
  let fileIndex = 0;
  while (fileIndex < rest.length && rest[fileIndex]!.startsWith("--")) {
    const flag = rest[fileIndex]!;
    fileIndex += VALUE_FLAGS.has(flag) ? 2 : 1;
    if (flag === "--") break;
  }
  const own = rest.slice(0, fileIndex).filter((a) => a !== "--");
  let policyFlags: PolicyFlags;
  let others: string[];
  try {
    ({ flags: policyFlags, rest: others } = parsePolicyFlags(own));
  } catch (error) {
    if (error instanceof PolicyError) throw new UsageError(error.message);
    throw error;
  }
  const { values } = parseOwnFlags(others);
  const [file, ...args] = rest.slice(fileIndex);
  if (!file) throw new UsageError("missing FILE (use - to read the program from stdin)");
  if (values.learn !== undefined) checkLearn(values, policyFlags);
  const toolFiles = namedValues("--tool", values.tool ?? [], "FILE.js");
  const alertTool = values["alert-tool"];
  if (alertTool !== undefined && !Object.hasOwn(toolFiles, alertTool)) throw new UsageError(`--alert-tool ${alertTool}: no --tool ${alertTool}=FILE.js gives that tool`);
  return {
    language: languageOf(file, values.lang),
    timeoutMs: positive("--timeout", values.timeout) ?? DEFAULT_TIMEOUT_MS,
    json: values.json,
    ...(values.engine !== undefined && { engine: engineOf(values.engine) }),
    ...(values.policy !== undefined && { policyFile: values.policy }),
    ...(values.learn !== undefined && { learnFile: values.learn }),
    policyFlags,
    ...(values.memory !== undefined && { memoryMiB: positive("--memory", values.memory) }),
    ...(values.audit !== undefined && { auditFile: values.audit }),
    ...(values.trace !== undefined && { traceFile: values.trace }),
    toolFiles,
    env: namedValues("--env", values.env ?? [], "VALUE", { emptyValue: true }),
    ...(values.cwd !== undefined && { cwd: guestFolder("--cwd", values.cwd) }),
    ...(values.mount !== undefined && { mounts: mountsOf(values.mount) }),
    ...(values.commit !== undefined && { commit: commitOf(values.commit) }),
    secrets: (values.secret ?? []).map(secretOptionOf),
    ...(values["secrets-file"] !== undefined && { secretsFile: values["secrets-file"] }),
    ...(values["alert-hook"] !== undefined && { alertHookFile: values["alert-hook"] }),
    ...(alertTool !== undefined && { alertTool }),
    failOnAlert: values["fail-on-alert"],
    rawOutput: values["raw-output"],
    file,
    args,
  };
}

/** Learning grants everything: a policy to learn within would make the result depend on it, so none is taken. */
function checkLearn(values: { policy?: string | undefined; engine?: string | undefined }, flags: PolicyFlags): void {
  const given = [...(values.policy !== undefined ? ["--policy"] : []), ...Object.keys(flags).map((key) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`)];
  if (given.length > 0) throw new UsageError(`--learn runs with everything granted: drop ${given.join(", ")} (use them on the rerun with --policy)`);
  if (values.engine !== undefined && values.engine !== "gated") throw new UsageError("--learn needs the gated engine: only it sees every access");
}

function languageOf(file: string, lang: string | undefined): Language {
  if (lang !== undefined) {
    if (lang === "wasm" || lang === "shell" || lang === "c" || isScriptLanguage(lang)) return lang;
    throw new UsageError(`unknown --lang "${lang}": expected ${LANGUAGE_NAMES}`);
  }
  if (file === "-") return "python";
  const ext = /\.[^./]+$/.exec(file)?.[0]?.toLowerCase() ?? "";
  const language = EXTENSIONS[ext];
  if (!language) {
    throw new UsageError(`cannot tell the language of "${file}" from its extension: pass --lang ${LANGUAGE_NAMES}`);
  }
  return language;
}

/**
 * Each `NAME=VALUE` of a repeatable flag, in order: the name up to the first
 * `=` (not empty, no glob characters: it becomes a policy rule), given once;
 * the value after it (empty only with `emptyValue`).
 */
export function namedValues(flag: string, values: readonly string[], valueName: string, { emptyValue = false } = {}): Record<string, string> {
  const named: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf("=");
    if (eq <= 0 || (!emptyValue && eq === value.length - 1)) throw new UsageError(`${flag} takes NAME=${valueName}, not "${value}"`);
    const name = value.slice(0, eq);
    if (/[*?\0]/.test(name)) throw new UsageError(`${flag} "${value}": the name may not contain *, ? or a NUL byte`);
    if (Object.hasOwn(named, name)) throw new UsageError(`${flag} ${name} is given twice: give each name once`);
    named[name] = value.slice(eq + 1);
  }
  return named;
}

/** An absolute guest folder, canonical (no `.`, `..` or empty part; no trailing `/`). */
function guestFolder(flag: string, value: string): string {
  if (!value.startsWith("/")) throw new UsageError(`${flag} takes an absolute guest folder (such as /workspace/src), not "${value}"`);
  const parts = value.split("/").filter((part) => part !== "" && part !== ".");
  if (parts.includes("..") || value.includes("\0")) throw new UsageError(`${flag} "${value}": no ".." or NUL byte in the folder`);
  return `/${parts.join("/")}`;
}

/** Each `HOSTDIR:GUESTDIR[:ro]`; mount points may not overlap (one would hide the other). */
function mountsOf(values: string[]): MountOption[] {
  const mounts = values.map(mountOf);
  const root = mounts.find((m) => m.guest === "/");
  if (root && mounts.length > 1) throw new UsageError(`--mount: ${mounts.find((m) => m !== root)!.guest} overlaps /: a folder mounted at / is the whole guest filesystem`);
  for (const a of mounts) {
    const inside = mounts.find((b) => b !== a && isWithin(b.guest, a.guest));
    if (inside) throw new UsageError(`--mount: ${inside.guest} overlaps ${a.guest}: give each mount its own guest folder`);
  }
  return mounts;
}

function mountOf(value: string): MountOption {
  const readOnly = value.endsWith(":ro");
  const rest = readOnly ? value.slice(0, -3) : value;
  const colon = rest.lastIndexOf(":");
  if (colon < 0) throw new UsageError(`--mount takes HOSTDIR:GUESTDIR[:ro], not "${value}"`);
  const host = rest.slice(0, colon);
  const guest = rest.slice(colon + 1);
  if (host === "") throw new UsageError(`--mount "${value}": HOSTDIR is missing`);
  if (!guest.startsWith("/") && host.includes(":")) throw new UsageError(`--mount "${value}": unknown option ":${guest}" (only :ro)`);
  try {
    return { host, guest: mountPath(guest), readOnly };
  } catch (error) {
    if (error instanceof WorkspaceError) throw new UsageError(`--mount "${value}": ${error.message}`);
    throw error;
  }
}

function commitOf(value: string): CommitWhen {
  if (value === "always" || value === "never" || value === "ask") return value;
  throw new UsageError(`unknown --commit "${value}": expected always, never or ask (without it, changes go back when the run exits 0)`);
}

function engineOf(value: string): EngineName {
  if (value === "wasmer" || value === "gated") return value;
  throw new UsageError(`unknown --engine "${value}": expected wasmer or gated`);
}

function positive(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} takes a positive whole number, not "${value}"`);
  return n;
}

function parseOwnFlags(args: string[]) {
  try {
    return parseArgs({
      args,
      strict: true,
      options: {
        lang: { type: "string" },
        timeout: { type: "string" },
        json: { type: "boolean", default: false },
        engine: { type: "string" },
        policy: { type: "string" },
        learn: { type: "string" },
        memory: { type: "string" },
        audit: { type: "string" },
        trace: { type: "string" },
        tool: { type: "string", multiple: true },
        mount: { type: "string", multiple: true },
        env: { type: "string", multiple: true },
        cwd: { type: "string" },
        commit: { type: "string" },
        secret: { type: "string", multiple: true },
        "secrets-file": { type: "string" },
        "alert-hook": { type: "string" },
        "alert-tool": { type: "string" },
        "fail-on-alert": { type: "boolean", default: false },
        "raw-output": { type: "boolean", default: false },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
