import { parseArgs } from "node:util";
import type { EngineName, Language } from "../../wasm-runtime/index.ts";
import { DEFAULT_TIMEOUT_MS } from "../../wasm-runtime/index.ts";
import { C_LANGUAGE } from "../../wasm-runtime/languages/c.ts";
import { INTERPRETERS, isScriptLanguage, SHELL, SOURCE_LANGUAGES } from "../../wasm-runtime/languages/index.ts";
import { parsePolicyFlags, PolicyError, type PolicyFlags } from "../../wasm-runtime/policy/index.ts";
import { isWithin, mountPath, WorkspaceError } from "../../wasm-runtime/workspace/index.ts";

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
  --json               print one JSON object {exitCode, reason, stdout, stderr, durationMs, audit},
                       with "mounts" (what went back to each HOSTDIR) when --mount is given
  --engine NAME        wasmer or gated (default: gated when a policy is given, else wasmer)
  --policy FILE        a policy document (JSON); the flags below add rules to it
  --allow-read[=PATHS]  --allow-write[=PATHS]  --allow-net[=HOSTS]  --allow-env[=NAMES]
  --allow-secret[=NAMES]  --allow-tool[=NAMES]  and --deny-… of each: comma-separated,
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
  --commit WHEN        when a writable mount's changes go back to HOSTDIR: by default
                       only if the run exits 0; always: whatever the exit status; never.
                       A run stopped, timed out or crashed leaves no final state, so
                       nothing is written back then.
Without a policy the run gets "Workspace only": /workspace read-write, nothing else.
An "ask" rule prompts on the terminal when stdin is one, and is a denial otherwise.
Exit status: the guest's own; 124 when the time limit is reached; 126 when it cannot
run; 2 for a mistake in the command line. When FILE is not - and stdin is not a
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
  file: string;
  args: string[];
}

export interface MountOption {
  host: string;
  /** Canonical guest path (see mountPath). */
  guest: string;
  readOnly: boolean;
}

export type CommitWhen = "always" | "never";

/** A mistake in the command line: reported with the usage, exit status 2. */
export class UsageError extends Error {}

/** Playpen's flags that take the next argument as their value (unless written --flag=value). */
const VALUE_FLAGS = new Set(["--lang", "--timeout", "--engine", "--policy", "--learn", "--memory", "--audit", "--trace", "--tool", "--mount", "--commit"]);

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
    toolFiles: toolFilesOf(values.tool ?? []),
    ...(values.mount !== undefined && { mounts: mountsOf(values.mount) }),
    ...(values.commit !== undefined && { commit: commitOf(values.commit) }),
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

function toolFilesOf(values: string[]): Record<string, string> {
  const tools: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf("=");
    if (eq <= 0 || eq === value.length - 1) throw new UsageError(`--tool takes NAME=FILE.js, not "${value}"`);
    tools[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return tools;
}

/** Each `HOSTDIR:GUESTDIR[:ro]`; mount points may not overlap (one would hide the other). */
function mountsOf(values: string[]): MountOption[] {
  const mounts = values.map(mountOf);
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
  if (value === "always" || value === "never") return value;
  throw new UsageError(`unknown --commit "${value}": expected always or never (without it, changes go back when the run exits 0)`);
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
        commit: { type: "string" },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
