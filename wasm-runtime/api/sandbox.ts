import type { AuditEvent } from "../capabilities.ts";
import { unenforceable } from "../engine/capability-matrix.ts";
import type { Engine } from "../engine/engine.ts";
import { SOURCE_LANGUAGES } from "../languages/index.ts";
import { DEFAULT_POLICY, parsePolicy, type Limits, type Policy, type PolicyInput } from "../policy/index.ts";
import type { EngineName, FileData, Language, OutputStream, Program, RunObserver, RunRequest, RunResult } from "../types.ts";
import { Workspace, type WorkspaceSnapshot, type WorkspaceStat } from "../workspace/index.ts";
import { alertReportOf, runReportOf, type AlertReport, type RunReport } from "./report.ts";
import { runFresh } from "./run-fresh.ts";

/** One run as a backend receives it: plain data, so it can cross to another process or worker. */
export interface BackendRun {
  engine: EngineName;
  /** The sandbox's variables (what the policy then lets the guest see of them). */
  env?: Record<string, string>;
  request: RunRequest;
}

/**
 * Where runs happen: in this process (`engineBackend`), or in a process of
 * their own (the MCP server's runner pool). Resolves with the result; an
 * aborted `signal` stops the run.
 */
export type RunBackend = (run: BackendRun, observer: RunObserver, signal: AbortSignal) => Promise<RunResult>;

/** Runs in this process (or worker) on `engines`, each in a fresh engine sandbox. */
export function engineBackend(engines: (name: EngineName) => Engine): RunBackend {
  return (run, observer, signal) => runFresh(engines(run.engine), run.request, observer, { ...(run.env && { env: run.env }), signal });
}

export interface SandboxOptions {
  /** What runs may touch (validated; default "Workspace only": /workspace read-write, nothing else). */
  policy?: PolicyInput | Policy;
  /** Limits replacing the policy's own (wallMs is each run's default time limit). */
  limits?: Partial<Omit<Limits, "note">>;
  /** Default "gated": the engine that enforces every rule; "wasmer" refuses a policy it cannot enforce. */
  engine?: EngineName;
  /** Values of named secrets; a run sees one only if the policy grants it. */
  secrets?: Record<string, string>;
  /** Variables of the sandbox; a run sees one only if the policy grants it. */
  env?: Record<string, string>;
  /** Host tools: name → JavaScript source of `async (args, context) => result` (see RunRequest.tools). */
  tools?: Record<string, string>;
  /** Files /workspace starts with (paths relative to it), or a snapshot to continue from. */
  files?: Record<string, FileData> | WorkspaceSnapshot;
  backend: RunBackend;
}

/** What to run: source code, or (language "wasm") a WASI command module. */
export interface RunInput {
  language: Language;
  code?: string;
  module?: Uint8Array;
  args?: string[];
  stdin?: string;
  /** Wall-clock limit of this run; default the policy's limits.wallMs. */
  timeoutMs?: number;
  cwd?: string;
}

export interface SandboxEvents {
  audit: AuditEvent;
  alert: AlertReport;
  output: { stream: OutputStream; text: string };
}

type Listener<T> = (event: T) => void;

/**
 * A sandbox an agent keeps: a /workspace that lasts from run to run, a
 * policy, secrets. Every run is a fresh engine sandbox started from the
 * workspace as the previous run left it (changes kept only when the run
 * exited on its own), so a stopped or crashed run loses nothing. Runs happen
 * one at a time, in order.
 */
export class PlaypenSandbox {
  readonly engine: EngineName;
  #policy: Policy;
  readonly #workspace: Workspace;
  readonly #options: SandboxOptions;
  readonly #listeners: { [K in keyof SandboxEvents]: Set<Listener<SandboxEvents[K]>> } = { audit: new Set(), alert: new Set(), output: new Set() };
  readonly #running = new Set<AbortController>();
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(options: SandboxOptions) {
    this.#options = options;
    this.engine = options.engine ?? "gated";
    this.#policy = withLimits(options.policy === undefined ? DEFAULT_POLICY : parsePolicy(options.policy), options.limits);
    checkEnforceable(this.engine, this.#policy);
    const files = options.files;
    const snapshot = files && isSnapshot(files) ? files : undefined;
    this.#workspace = new Workspace({ bytes: this.#policy.limits.workspaceBytes }, snapshot);
    if (files && !snapshot) for (const [path, data] of Object.entries(files)) this.#workspace.writeFile(path, data);
  }

  get policy(): Policy {
    return this.#policy;
  }

  /** Replaces the policy for the next runs (validated; the caller decides who may widen it). */
  setPolicy(policy: PolicyInput | Policy): void {
    const parsed = parsePolicy(policy);
    checkEnforceable(this.engine, parsed);
    this.#policy = parsed;
  }

  /** Runs a program over the workspace; resolves once it ended, however it ended (never rejects for the guest's doing). */
  run(input: RunInput): Promise<RunReport> {
    this.#checkOpen();
    const program = programOf(input);
    const next = this.#queue.then(() => this.#runNow(program, input));
    this.#queue = next.catch(() => {});
    return next;
  }

  async #runNow(program: Program, input: RunInput): Promise<RunReport> {
    const before = this.#workspace.snapshot();
    const request: RunRequest = {
      program,
      ...(input.args && { args: input.args }),
      ...(input.stdin !== undefined && { stdin: input.stdin }),
      ...(input.cwd !== undefined && { cwd: input.cwd }),
      timeoutMs: input.timeoutMs ?? this.#policy.limits.wallMs,
      workspace: before,
      policy: this.#policy,
      ...(this.#options.secrets && { secrets: this.#options.secrets }),
      ...(this.#options.tools && { tools: this.#options.tools }),
    };
    const observer: RunObserver = {
      output: (stream, text) => this.#emit("output", { stream, text }),
      audit: (events) => {
        for (const event of events) {
          this.#emit("audit", event);
          if (event.alert) this.#emit("alert", alertReportOf(event, event.alert));
        }
      },
    };
    const stop = new AbortController();
    this.#running.add(stop);
    try {
      const result = await this.#options.backend({ engine: this.engine, ...(this.#options.env && { env: this.#options.env }), request }, observer, stop.signal);
      if (result.workspace) this.#adopt(result, before);
      return runReportOf(result);
    } finally {
      this.#running.delete(stop);
    }
  }

  /** The run's files become the workspace, unless they break its quota (then the run is an error and nothing changes). */
  #adopt(result: RunResult, before: WorkspaceSnapshot): void {
    try {
      this.#workspace.restore(result.workspace!);
    } catch (error) {
      this.#workspace.restore(before);
      Object.assign(result, { reason: "error", exitCode: 126, error: `the run's files were dropped: ${(error as Error).message}` });
    }
  }

  readFile(path: string): Uint8Array {
    return this.#workspace.readFile(path);
  }

  readText(path: string): string {
    return this.#workspace.readText(path);
  }

  /** Creates or replaces a file (folders created); refused whole when it breaks the workspace quota. */
  writeFile(path: string, data: FileData): void {
    this.#workspace.writeFile(path, data);
  }

  /** Every file and folder (paths relative to /workspace), or those inside `folder`. */
  listFiles(folder = ""): WorkspaceStat[] {
    return this.#workspace.list(folder);
  }

  deleteFile(path: string): void {
    this.#workspace.remove(path);
  }

  /** /workspace now, as an immutable snapshot (to keep, or to start another sandbox from). */
  snapshot(): WorkspaceSnapshot {
    return this.#workspace.snapshot();
  }

  on<K extends keyof SandboxEvents>(event: K, listener: Listener<SandboxEvents[K]>): () => void {
    this.#listeners[event].add(listener);
    return () => this.#listeners[event].delete(listener);
  }

  /** Stops every run in flight (their results have reason "stopped"). */
  stop(): void {
    for (const run of this.#running) run.abort();
  }

  /** Stops what runs and refuses new runs. */
  async close(): Promise<void> {
    this.#closed = true;
    this.stop();
    await this.#queue;
  }

  #emit<K extends keyof SandboxEvents>(event: K, value: SandboxEvents[K]): void {
    for (const listener of this.#listeners[event]) listener(value);
  }

  #checkOpen(): void {
    if (this.#closed) throw new Error("this sandbox is closed");
  }
}

/** A sandbox over `options.backend` (the Node package's `createSandbox` supplies one running in-process). */
export function createSandbox(options: SandboxOptions): PlaypenSandbox {
  return new PlaypenSandbox(options);
}

function programOf(input: RunInput): Program {
  if (input.language === "wasm") {
    if (!(input.module instanceof Uint8Array)) throw new TypeError('language "wasm" takes the module\'s bytes in "module"');
    return { language: "wasm", module: input.module };
  }
  if (!(SOURCE_LANGUAGES as string[]).includes(input.language)) throw new TypeError(`unknown language "${String(input.language)}": expected ${[...SOURCE_LANGUAGES, "wasm"].join(", ")}`);
  if (typeof input.code !== "string") throw new TypeError(`language "${input.language}" takes its source in "code"`);
  return { language: input.language, code: input.code } as Program;
}

function withLimits(policy: Policy, limits: SandboxOptions["limits"]): Policy {
  return limits ? parsePolicy({ ...policy, limits: { ...policy.limits, ...limits } }) : policy;
}

function checkEnforceable(engine: EngineName, policy: Policy): void {
  const problems = unenforceable(engine, policy);
  if (problems.length > 0) throw new Error(`the ${engine} engine cannot enforce ${problems.join("; ")}: use the gated engine`);
}

function isSnapshot(files: Record<string, FileData> | WorkspaceSnapshot): files is WorkspaceSnapshot {
  return files.entries instanceof Map;
}
