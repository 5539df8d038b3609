import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  type AccessRequest,
  type AskAnswer,
  type Engine,
  type EngineName,
  type Program,
  type RunResult,
} from "../../wasm-runtime/index.ts";
import { unenforceable } from "../../wasm-runtime/engine/capability-matrix.ts";
import { DEFAULT_POLICY, learningPolicy, parsePolicy, parsePolicyJson, policyFromFlags, PolicyError, type Denial, type Policy } from "../../wasm-runtime/policy/index.ts";
import { failedRun, runFresh, runReportOf } from "../../wasm-runtime/api/index.ts";
import type { Sandbox } from "../../wasm-runtime/engine/engine.ts";
import { DEFAULT_WORKSPACE_LIMITS, ROOT_MOUNT } from "../../wasm-runtime/workspace/index.ts";
import { HostMountError } from "./host-mount.ts";
import { alertHookOf, AlertReporter, EXIT_CODE_ALERT, loadAlertHook, type AlertReceiver } from "./alerts.ts";
import { existingPaths, learnFromRun } from "./learn-run.ts";
import { parseRunOptions, USAGE, UsageError, type MountOption, type RunOptions } from "./options.ts";
import { secretValues } from "./secret-values.ts";
import { answerOf, askQuestion } from "./ask-question.ts";
import { visibleText } from "./visible-text.ts";
import { checkMountsOnEngine, readMounts, requestMounts, settleMounts, type HostMount, type MountReport } from "./run-mounts.ts";

/** Where a command's input comes from and its output goes: the terminal, or a daemon client's socket. */
export interface CommandIo {
  cwd: string;
  /** The caller's stdin, read to the end; undefined when it is a terminal. */
  stdin: Uint8Array | undefined;
  write(stream: "stdout" | "stderr", text: string): void;
  /** Which of the caller's output streams are terminals: what reaches one has its control characters made visible (unless --raw-output). */
  terminal?: { stdout: boolean; stderr: boolean };
  /** Asks the person at the terminal, after the output so far, on a line of its own; absent when there is none (ask then means deny). */
  prompt?: (question: string) => Promise<string>;
  /** Aborted when the caller goes away (Ctrl+C on a daemon client): the run is stopped. */
  signal?: AbortSignal;
  /** The caller's environment variable NAME, for `--secret NAME` (a daemon gets only the ones asked for). */
  env?: (name: string) => string | undefined;
}

/** `playpen run …`: one program in a fresh sandbox; returns the process exit status. */
export async function runCommand(argv: readonly string[], caller: CommandIo, engines: (name: EngineName) => Engine): Promise<number> {
  let io = caller;
  let options: RunOptions;
  let policy: Policy;
  let engine: EngineName;
  let engineWarnings: string;
  let secrets: Record<string, string>;
  try {
    options = parseRunOptions(argv);
    if (!options.rawOutput) io = shownOnTerminal(caller);
    policy = await policyOf(options, io.cwd);
    secrets = await secretValues(options.secrets, options.secretsFile, io.cwd, io.env ?? (() => undefined));
    if (options.learnFile !== undefined) policy = learningPolicy(policy);
    // Policies, tools, traces and mounts (whose :ro only it refuses inside the guest) are what the gated engine is for.
    const wantsGated =
      options.policyFile !== undefined ||
      options.learnFile !== undefined ||
      Object.keys(options.policyFlags).length > 0 ||
      Object.keys(options.toolFiles).length > 0 ||
      options.traceFile !== undefined ||
      options.mounts !== undefined;
    engine = options.engine ?? (wantsGated ? "gated" : "wasmer");
    if (options.mounts?.some((m) => m.guest === ROOT_MOUNT) && options.language !== "wasm") {
      throw new UsageError(`--mount HOSTDIR:/ makes the folder the guest's whole filesystem: only a .wasm module runs over it (${options.language} needs its runtime's files)`);
    }
    checkEnforceable(engine, policy, options);
    if (options.commit === "ask" && !io.prompt) throw new UsageError("--commit ask needs a terminal to ask on, and stdin is not one: use --commit always or never");
    engineWarnings = checkMountsOnEngine(engine, options.mounts ?? []);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.write("stderr", `playpen: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }

  const fromStdin = options.file === "-";
  let source: Uint8Array;
  try {
    source = fromStdin ? (io.stdin ?? new Uint8Array()) : new Uint8Array(await readFile(path.resolve(io.cwd, options.file)));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    return report(options, io, failedRun(`cannot read "${options.file}": ${reason}`));
  }
  const tools: Record<string, string> = {};
  for (const [name, file] of Object.entries(options.toolFiles)) {
    try {
      tools[name] = await readFile(path.resolve(io.cwd, file), "utf8");
    } catch (error) {
      return report(options, io, failedRun(`cannot read the tool "${name}" from "${file}": ${(error as Error).message}`));
    }
  }
  const receivers: AlertReceiver[] = [];
  if (options.alertHookFile !== undefined) {
    try {
      receivers.push({ name: "the alert hook", hook: await loadAlertHook(path.resolve(io.cwd, options.alertHookFile)) });
    } catch (error) {
      return report(options, io, failedRun(`cannot load the alert hook "${options.alertHookFile}": ${(error as Error).message}`));
    }
  }
  if (options.alertTool !== undefined) {
    try {
      receivers.push({ name: `the alert tool ${options.alertTool}`, hook: alertHookOf(options.alertTool, tools[options.alertTool]!) });
    } catch (error) {
      return report(options, io, failedRun(`cannot load the alert tool "${options.alertTool}": ${(error as Error).message}`));
    }
  }
  if (engineWarnings) io.write("stderr", engineWarnings);
  const mountLimits = { ...DEFAULT_WORKSPACE_LIMITS, bytes: policy.limits.workspaceBytes };
  let mounts: HostMount[];
  try {
    mounts = await readMounts(options.mounts ?? [], io.cwd, mountLimits, (text) => io.write("stderr", text));
  } catch (error) {
    if (error instanceof HostMountError) return report(options, io, failedRun(error.message));
    throw error;
  }
  const program: Program =
    options.language === "wasm"
      ? { language: "wasm", module: source, name: options.file }
      : options.language === "shell"
        ? { language: "shell", code: new TextDecoder().decode(source) }
        : { language: options.language, code: new TextDecoder().decode(source) };

  const alerts = new AlertReporter(io, receivers);
  const ask = io.prompt && (async (access: AccessRequest, syscall: string): Promise<AskAnswer> => answerOf(await io.prompt!(askQuestion(access, syscall))));
  const observer = { ...(!options.json && { output: io.write }), ...(ask && { ask }), audit: alerts.observe };
  const stdin = fromStdin || !io.stdin ? undefined : new TextDecoder().decode(io.stdin);
  const request = { program, args: options.args, stdin, timeoutMs: options.timeoutMs, policy, tools, secrets, ...(options.cwd !== undefined && { cwd: options.cwd }), ...(options.traceFile !== undefined && { trace: true }), ...(mounts.length > 0 && { mounts: requestMounts(mounts) }) };
  // Learn mode compares the sandbox's files before and after the run.
  let before: string[] = [];
  let learned: Learned | undefined;
  const learnFile = options.learnFile;
  const learnHooks = learnFile !== undefined && {
    before: async (sandbox: Sandbox) => void (before = await existingPaths(sandbox)),
    after: async (sandbox: Sandbox, result: RunResult) => {
      const policyLearned = await learnFromRun({ file: path.resolve(io.cwd, learnFile), program: options.file, policy, sandbox, before, result });
      learned = { file: learnFile, policy: policyLearned ?? null };
    },
  };
  const ran = await runFresh(engines(engine), request, observer, { env: options.env, ...(io.signal && { signal: io.signal }), ...learnHooks });
  // --json carries the list in "mounts"; on stderr it is for the person deciding (--commit ask) or watching.
  const say = (text: string) => (!options.json || options.commit === "ask") && io.write("stderr", text);
  const settled = await settleMounts(mounts, ran, { commit: options.commit, limits: mountLimits, policy, say, ...(io.prompt && { prompt: io.prompt }) });
  const { result } = settled;
  if (!options.json && settled.notes) io.write("stderr", settled.notes);
  if (learned && !options.json) {
    io.write("stderr", learned.policy ? `playpen: learned policy written to ${learned.file}: ${describeLearned(learned.policy)}; rerun with --policy ${learned.file}\n` : `playpen: nothing learned: the run did not end on its own (${result.reason})\n`);
  }
  if (options.auditFile) await writeJsonLines(path.resolve(io.cwd, options.auditFile), result.audit ?? []);
  if (options.traceFile) await writeJsonLines(path.resolve(io.cwd, options.traceFile), result.trace ?? []);
  await alerts.settled();
  const status = report(options, io, result, options.mounts && settled.reports, learned);
  return options.failOnAlert && alerts.count > 0 ? EXIT_CODE_ALERT : status;
}

/** The caller's streams with every control character the guest could send made visible where a stream is a terminal (prompts too). */
function shownOnTerminal(io: CommandIo): CommandIo {
  const onTerminal = (stream: "stdout" | "stderr") => io.terminal?.[stream] === true;
  return {
    ...io,
    write: (stream, text) => io.write(stream, onTerminal(stream) ? visibleText(text) : text),
    ...(io.prompt && { prompt: (question: string) => io.prompt!(visibleText(question)) }),
  };
}

/** The --policy document (or "Workspace only"), plus the flags' rules and --memory. */
export async function policyOf(options: RunOptions, cwd: string): Promise<Policy> {
  try {
    let base = DEFAULT_POLICY;
    if (options.policyFile !== undefined) {
      let text: string;
      try {
        text = await readFile(path.resolve(cwd, options.policyFile), "utf8");
      } catch (error) {
        throw new UsageError(`cannot read the policy "${options.policyFile}": ${(error as Error).message}`);
      }
      base = parsePolicyJson(text);
    }
    // Each --env is a grant of its name (a deny rule still withholds it, and the run's audit shows the decision).
    const names = Object.keys(options.env);
    const allowEnv = options.policyFlags.allowEnv;
    const policy = policyFromFlags(base, { ...options.policyFlags, ...(names.length > 0 && { allowEnv: allowEnv === true ? true : [...(allowEnv ?? []), ...names] }) });
    if (options.memoryMiB === undefined) return policy;
    return parsePolicy({ ...policy, limits: { ...policy.limits, memoryMiB: options.memoryMiB } });
  } catch (error) {
    if (error instanceof PolicyError) throw new UsageError(error.message);
    throw error;
  }
}

/** Which flags could have asked for each thing the Wasmer engine cannot do. */
const FLAGS_BEHIND = [
  [/^file rules/, ["--allow-read", "--allow-write", "--deny-read", "--deny-write"]],
  [/^network/, ["--allow-net", "--deny-net"]],
  [/^host tools/, ["--allow-tool", "--deny-tool"]],
] as const;

/** A flag the chosen engine cannot enforce is an error naming both, never silently ignored. */
export function checkEnforceable(engine: EngineName, policy: Policy, options: RunOptions): void {
  const problems = unenforceable(engine, policy);
  if (problems.length === 0) return;
  const given = new Set(Object.keys(options.policyFlags).map((key) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`));
  const named = problems.map((problem) => {
    const flags = FLAGS_BEHIND.find(([pattern]) => pattern.test(problem))?.[1].filter((flag) => given.has(flag)) ?? [];
    const source = flags.length > 0 ? flags.join(", ") : options.policyFile !== undefined ? `--policy ${options.policyFile}` : "the policy";
    return `${source}: ${problem}`;
  });
  throw new UsageError(`the ${engine} engine cannot enforce ${named.join("; ")}. Use --engine gated.`);
}

/** What `--json` says about --learn: the file, and the policy written to it (null when the run did not end on its own). */
interface Learned {
  file: string;
  policy: Policy | null;
}

function describeLearned(policy: Policy): string {
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
  return [count(policy.files.length, "file rule"), count(policy.network.length, "host"), count(policy.env.length, "variable"), count(policy.secrets.length, "secret"), count(policy.tools.length, "tool")].join(", ");
}

/** A denial whose fix is a mount's mode gets the flag that mounts it read-write: the CLI alone knows the host folder. */
function withMountFlags(denials: Denial[], mounts: readonly MountOption[]): Denial[] {
  return denials.map((denial) => {
    const mount = mounts.find((m) => m.readOnly && m.guest === denial.fix.mount);
    return mount ? { ...denial, fix: { ...denial.fix, flag: `--mount=${mount.host}:${mount.guest}` } } : denial;
  });
}

function report(options: RunOptions, io: CommandIo, result: RunResult, mounts?: MountReport[], learned?: Learned): number {
  if (options.json) {
    const reported = runReportOf(result);
    const object = { ...reported, denials: withMountFlags(reported.denials, options.mounts ?? []), ...(mounts && { mounts }), ...(learned && { learned }) };
    io.write("stdout", `${JSON.stringify(object)}\n`);
  } else if (result.reason === "error") {
    io.write("stderr", `playpen: ${result.error}\n`);
  } else if (result.reason === "timeout") {
    io.write("stderr", `playpen: time limit of ${options.timeoutMs} ms reached\n`);
  } else if (result.memoryLimitReached) {
    io.write("stderr", "playpen: memory limit reached\n");
  }
  return result.exitCode;
}

/** One JSON object per line; 64-bit values (bigints in a trace) as strings. */
function writeJsonLines(file: string, items: readonly unknown[]): Promise<void> {
  const line = (item: unknown) => JSON.stringify(item, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value));
  return writeFile(file, items.map((item) => `${line(item)}\n`).join(""));
}
