import type { AccessRequest, AuditEvent } from "../../capabilities.ts";
import { firstCommandOf, guestArgv0, interpreterFiles, launchOf, scriptOf } from "../../languages/index.ts";
import { assertWasiCommand, limitModule, pagesOfMiB, setMemoryMaximum } from "../../module/index.ts";
import { DEFAULT_POLICY, foldAudit, RUNTIME_ROOT, WORKSPACE_ROOT, type Policy } from "../../policy/index.ts";
import {
  EXIT_CODE,
  type ExitReason,
  type FileData,
  type LoadProgress,
  type Program,
  type RunObserver,
  type RunRequest,
  type RunResult,
  type SandboxSpec,
  type TraceCall,
} from "../../types.ts";
import { compileUserTools, KvStore, RateLimits, ToolCalls, type UserTool } from "../../tools/index.ts";
import { FsError, mkdirp, populate, readFile, snapshot, fromSnapshot, VirtualFs, writeFile, type VfsSnapshot } from "../../vfs/index.ts";
import { grantMounts, isWithin, readFromVfs, removeTree, writeIntoVfs } from "../../workspace/index.ts";
import { CapturedOutput } from "../captured-output.ts";
import { RunGuard, type PlantedDecoys } from "../../egress/index.ts";
import { checkedMounts, rootMountOf, withoutScript } from "../run-workspace.ts";
import { decideEnvironment } from "../environment.ts";
import { cached, compileInMemory, messageOf, sha256 } from "../shared.ts";
import type { Engine, FolderEntry, ModuleCompiler, RunHandle, RuntimeSource, Sandbox } from "../engine.ts";
import { ASK_ANSWER, ASK_STATE, type FromRunThread, type RunThread, type RunThreadFactory } from "./protocol.ts";
import { createToolCell, deliverToolReply } from "./tool-cell.ts";
import { ThreadSpare } from "./thread-spare.ts";
import { runSubprocess, Subprocesses, type SubprocessesOptions } from "./subprocesses.ts";

const MiB = 1024 * 1024;

/**
 * The gated engine: Playpen's own WASI host, where every file access, variable,
 * secret, clock and tool call is a policy decision, recorded as an audit event.
 * Guests run in a thread of their own (a worker) so the time limit and Stop can
 * always end them; the sandbox's filesystem lives here and takes a run's changes
 * only when the guest ends on its own. Tools run here too, asynchronously, while
 * the guest's thread waits for the reply.
 */
export class GatedEngine implements Engine {
  readonly name = "gated";
  /** Each guest runs in a thread of its own, terminated when the run ends badly. */
  readonly abandonedGuests = 0;
  readonly #runtimes: RuntimeSource;
  readonly #threads: ThreadSpare;
  readonly #bytes = new Map<string, Promise<Uint8Array>>();
  readonly #modules = new Map<string, Promise<WebAssembly.Module>>();
  readonly #compileModule: ModuleCompiler;

  constructor(runtimes: RuntimeSource, threads: RunThreadFactory, compile: ModuleCompiler = compileInMemory) {
    this.#runtimes = runtimes;
    this.#threads = new ThreadSpare(threads);
    this.#compileModule = compile;
  }

  async prepare(language: Program["language"], onProgress?: (p: LoadProgress) => void): Promise<void> {
    this.#threads.warm();
    const first = firstCommandOf(language);
    if (!first) return;
    const { runtime } = first;
    const bytes = await this.#runtimeBytes(runtime, onProgress);
    onProgress?.({ runtime, phase: "compile", loaded: 0, total: null });
    await this.#runtimeModule(runtime, bytes, DEFAULT_POLICY.limits.memoryMiB);
    onProgress?.({ runtime, phase: "ready", loaded: bytes.length, total: bytes.length });
  }

  async createSandbox(spec: SandboxSpec = {}): Promise<Sandbox> {
    const fs = new VirtualFs();
    populate(fs, interpreterFiles(), "/");
    fs.setReadOnly(RUNTIME_ROOT);
    // Even without files: every run puts a quota on it, and programs expect it.
    mkdirp(fs, WORKSPACE_ROOT);
    populate(fs, spec.files ?? {});
    return new GatedSandbox(fs, spec.env ?? {}, this.#threads, (program, policy) => this.#moduleFor(program, policy));
  }

  async close(): Promise<void> {
    this.#threads.close();
  }

  async #moduleFor(program: Program, policy: Policy): Promise<WebAssembly.Module> {
    const { runtime } = launchOf(program, []);
    if (runtime) return this.#runtimeModule(runtime, await this.#runtimeBytes(runtime), policy.limits.memoryMiB);
    if (program.language !== "wasm") throw new Error(`no runtime for ${program.language}`);
    assertWasiCommand(program.module);
    const maxPages = pagesOfMiB(policy.limits.memoryMiB);
    const key = `module:${await sha256(program.module)}:${maxPages}`;
    return cached(this.#modules, key, () => this.#compileModule(limitModule(program.module, maxPages)));
  }

  /** Compiled once per runtime and memory limit: the limit is part of the module. */
  #runtimeModule(runtime: string, bytes: Uint8Array, memoryMiB: number): Promise<WebAssembly.Module> {
    const maxPages = pagesOfMiB(memoryMiB);
    return cached(this.#modules, `runtime:${runtime}:${maxPages}`, () => this.#compileModule(setMemoryMaximum(bytes, maxPages)));
  }

  #runtimeBytes(runtime: string, onProgress?: (p: LoadProgress) => void): Promise<Uint8Array> {
    return cached(this.#bytes, runtime, () => this.#runtimes(runtime, onProgress));
  }
}

class GatedSandbox implements Sandbox {
  #fs: VirtualFs;
  readonly #env: Record<string, string>;
  readonly #threads: ThreadSpare;
  readonly #moduleFor: (program: Program, policy: Policy) => Promise<WebAssembly.Module>;
  #runs = 0;
  /** Tool state that outlives a run: the `kv` store and the calls the rate limits count. */
  readonly #kv = new KvStore();
  readonly #rates = new RateLimits();

  constructor(
    fs: VirtualFs,
    env: Record<string, string>,
    threads: ThreadSpare,
    moduleFor: (program: Program, policy: Policy) => Promise<WebAssembly.Module>,
  ) {
    this.#fs = fs;
    this.#env = env;
    this.#threads = threads;
    this.#moduleFor = moduleFor;
  }

  run(request: RunRequest, observer: RunObserver = {}): RunHandle {
    // A subprocess is a shell script on this same sandbox.
    const spawn = (child: RunRequest, childObserver: RunObserver) => runSubprocess(this, child, childObserver);
    const run = new GatedRun(request, observer, `run-${++this.#runs}`, { kv: this.#kv, rates: this.#rates }, spawn);
    let adopted: VfsSnapshot | undefined;
    const result = run.start(async () => {
      const policy = grantMounts(request.policy ?? DEFAULT_POLICY, checkedMounts(request));
      const guard = run.guard(policy);
      const userTools = compileUserTools(request.tools ?? {});
      const module = await this.#moduleFor(request.program, policy);
      const env = await run.visibleEnv(policy, this.#env, request.secrets ?? {});
      const fs = this.#prepareFs(request, policy, guard.decoys);
      const thread = this.#threads.take();
      return { module, env, fs, thread, policy, userTools };
    }, (outcome) => {
      // A run over a mount at / had a filesystem of its own: the sandbox keeps its own.
      if (outcome.fs) {
        adopted = outcome.fs;
        if (!rootMountOf(request)) this.#fs = this.#adopt(adopted, request, outcome.decoys);
      }
      if (outcome.reusable) this.#threads.giveBack(outcome.thread);
      else this.#threads.discard(outcome.thread);
    });
    return { result: result.then((r) => run.filtered(adopted ? withRunFiles(r, fromSnapshot(adopted), request) : r)), stop: () => run.stop() };
  }

  async realPath(path: string): Promise<string> {
    return this.#fs.locate(path).path;
  }

  async readFile(path: string): Promise<Uint8Array> {
    return readFile(this.#fs, this.#unfollowed(path));
  }

  async writeFile(path: string, data: FileData): Promise<void> {
    writeFile(this.#fs, this.#unfollowed(path), data);
  }

  async list(path: string): Promise<FolderEntry[]> {
    const dir = this.#fs.lookup(this.#unfollowed(path));
    if (dir.kind !== "dir") throw new FsError("ENOTDIR", path);
    return [...dir.entries.values()].map((node) => ({ name: node.name, kind: node.kind === "dir" ? "directory" : "file" }));
  }

  /** `path` when no symlink lies on it (see `Sandbox.realPath`); ELOOP (as O_NOFOLLOW gives) when one does. */
  #unfollowed(path: string): string {
    const at = this.#fs.locate(path, { follow: false });
    if (at.node?.kind === "symlink" || at.path !== path) throw new FsError("ELOOP", path);
    return path;
  }

  /** The engine's warm thread outlives its sandboxes. */
  async close(): Promise<void> {}

  /** The guest works on a copy: the sandbox keeps its own filesystem until the run ends well. */
  #prepareFs(request: RunRequest, policy: Policy, decoys: PlantedDecoys): VfsSnapshot {
    const root = rootMountOf(request);
    if (root) {
      // The mounted folder is all there is; the quota is on the root (set first: it also keeps the root from removal).
      const fs = new VirtualFs();
      fs.setQuota("/", policy.limits.workspaceBytes);
      writeIntoVfs(fs, "/", root.files);
      if (root.readOnly) fs.setReadOnly("/");
      return snapshot(fs);
    }
    const fs = fromSnapshot(snapshot(this.#fs));
    if (request.workspace) writeIntoVfs(fs, WORKSPACE_ROOT, request.workspace);
    const script = scriptOf(request.program);
    if (script) {
      // Written by the host, so never through a symlink an earlier run left in the script's place.
      const at = fs.locate(script.path, { follow: false });
      if (at.node?.kind === "symlink") fs.unlink(at);
      writeFile(fs, script.path, script.code);
    }
    const budget = policy.limits.workspaceBytes;
    const trees = [WORKSPACE_ROOT];
    for (const mount of request.mounts ?? []) {
      writeIntoVfs(fs, mount.path, mount.files);
      if (mount.readOnly) fs.setReadOnly(mount.path);
      else if (!isWithin(mount.path, WORKSPACE_ROOT)) trees.push(mount.path);
    }
    for (const [path, content] of decoys.files) {
      mkdirp(fs, path.slice(0, path.lastIndexOf("/")) || "/");
      writeFile(fs, path, content);
    }
    // One quota per writable tree (/workspace, each writable mount outside it), and the whole
    // filesystem may grow by no more than their sum: what a policy lets the guest write elsewhere
    // (/tmp…) comes out of the same bytes. Host memory is bounded while the guest runs.
    fs.setQuota("/", Infinity);
    fs.setQuota("/", fs.quotaAt("/")!.used + trees.length * budget);
    for (const tree of trees) fs.setQuota(tree, budget);
    return snapshot(fs);
  }

  /** The filesystem a run left, as the sandbox keeps it: a run's mounts and decoys were for that run only. */
  #adopt(left: VfsSnapshot, request: RunRequest, decoys: PlantedDecoys): VirtualFs {
    const fs = fromSnapshot(left);
    for (const path of decoys.files.keys()) removeTree(fs, path);
    for (const mount of request.mounts ?? []) {
      if (!isWithin(mount.path, WORKSPACE_ROOT)) removeTree(fs, mount.path);
      else if (mount.readOnly && fs.locate(mount.path).node?.kind === "dir") fs.setReadOnly(mount.path, false);
    }
    return fs;
  }
}

interface Prepared {
  module: WebAssembly.Module;
  env: Record<string, string>;
  fs: VfsSnapshot;
  thread: RunThread;
  policy: Policy;
  userTools: Map<string, UserTool>;
}

/** What a sandbox keeps for its tools from run to run. */
interface SandboxTools {
  kv: KvStore;
  rates: RateLimits;
}

interface Outcome {
  thread: RunThread;
  /** The filesystem to adopt: only when the guest exited on its own. */
  fs?: VfsSnapshot;
  decoys: PlantedDecoys;
  /** A thread that finished its job can take the next one; a killed or failed one cannot. */
  reusable: boolean;
}

/** One run: policy decisions before the start, the thread's reports, and the end by exit, limit or Stop. */
class GatedRun {
  readonly #request: RunRequest;
  readonly #observer: RunObserver;
  readonly #runId: string;
  readonly #tools: SandboxTools;
  readonly #spawn: SubprocessesOptions["spawn"];
  readonly #audit: AuditEvent[] = [];
  readonly #trace: TraceCall[] = [];
  #traceTruncated = false;
  #guard: RunGuard | undefined;
  #end: ((reason: "timeout" | "stopped") => void) | undefined;
  #stopRequested = false;

  constructor(request: RunRequest, observer: RunObserver, runId: string, tools: SandboxTools, spawn: SubprocessesOptions["spawn"]) {
    this.#request = request;
    this.#observer = observer;
    this.#runId = runId;
    this.#tools = tools;
    this.#spawn = spawn;
  }

  stop(): void {
    this.#stopRequested = true;
    this.#end?.("stopped");
  }

  /** Sets up the run's exfiltration filter, decoys and alert rules, once its policy is known. */
  guard(policy: Policy): RunGuard {
    return (this.#guard = new RunGuard(policy, this.#request.secrets ?? {}, this.#runId, (events) => this.#store(events)));
  }

  /** The result as it may leave the engine (files and error filtered). */
  filtered(result: RunResult): RunResult {
    return this.#guard ? this.#guard.result(result, this.#request) : result;
  }

  async start(prepare: () => Promise<Prepared>, finish: (outcome: Outcome) => void): Promise<RunResult> {
    const started = performance.now();
    let prepared: Prepared;
    try {
      prepared = await prepare();
    } catch (error) {
      return this.#result(started, "error", EXIT_CODE.error, new CapturedOutput(0), messageOf(error));
    }
    const { module, env, fs, thread, policy, userTools } = prepared;
    const limits = policy.limits;
    const caps = {
      stdout: this.#request.outputBytes ?? limits.stdoutBytes,
      stderr: this.#request.outputBytes ?? limits.stderrBytes,
    };
    const guard = this.#guard!;
    const output = new CapturedOutput(caps, this.#observer.output, guard);
    const shared = typeof SharedArrayBuffer === "function";
    const askCell = shared && this.#observer.ask ? new SharedArrayBuffer(8) : null;
    const toolCell = shared ? createToolCell() : null;
    const runEnded = new AbortController();
    const memoryLimitBytes = limits.memoryMiB * MiB;
    const launch = launchOf(this.#request.program, this.#request.args ?? []);
    const args = [guestArgv0(launch.runtime, launch.argv[0]!), ...launch.argv.slice(1)];

    return new Promise<RunResult>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let remainingMs = this.#request.timeoutMs ?? limits.wallMs;
      let armedAt = 0;
      let settled = false;
      const arm = () => {
        if (settled) return;
        armedAt = performance.now();
        timer = setTimeout(() => end("timeout"), remainingMs);
      };
      // Waiting for a person is not the guest's time (waiting for a tool is).
      const pause = () => {
        clearTimeout(timer);
        remainingMs -= performance.now() - armedAt;
      };
      const settle = (result: RunResult, outcome: Omit<Outcome, "thread" | "decoys">) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        children.stopAll();
        runEnded.abort();
        this.#end = undefined;
        finish({ thread, decoys: guard.decoys, ...outcome });
        resolve(result);
      };
      const end = (reason: "timeout" | "stopped") => {
        settle(this.#result(started, reason, EXIT_CODE[reason], output), { reusable: false });
      };
      this.#end = end;
      const ask = this.#observer.ask;
      const askPausing = ask && ((request: AccessRequest, syscall: string) => {
        pause();
        return ask(request, syscall).finally(arm);
      });
      const tools = new ToolCalls({
        runId: this.#runId,
        policy,
        userTools,
        ...this.#tools,
        secrets: { ...this.#request.secrets, ...guard.decoys.secrets },
        guard,
        ask: askPausing,
        // A decision finished after the end (an ask answered late) belongs to no result.
        audit: (event) => settled || this.#record([event]),
        signal: runEnded.signal,
      });

      const children = new Subprocesses({
        runId: this.#runId,
        parent: this.#request,
        policy,
        spawn: this.#spawn,
        // The child's time is the parent's: what is left of it (a pause for a person does not count).
        remainingMs: () => remainingMs - (performance.now() - armedAt),
        record: (events) => settled || this.#record(events),
      });
      const reply = (answer: Promise<string>) =>
        void answer.then((text) => {
          // A reply after the end would land in a dead thread's cell: dropped.
          if (!settled) deliverToolReply(toolCell!, text);
        });

      thread.onMessage((message: FromRunThread) => {
        switch (message.type) {
          case "output":
            output.push(message.stream, message.bytes);
            break;
          case "audit":
            this.#record(message.events);
            break;
          case "ask":
            pause();
            void this.#answer(message.request, message.syscall, askCell!).then(arm);
            break;
          case "tool":
            reply(tools.call(message.name, message.request));
            break;
          case "socket":
            reply(tools.sockets.call(message.request));
            break;
          case "process":
            reply(children.call(message.request));
            break;
          case "trace": {
            const calls = guard.trace(message.calls);
            this.#trace.push(...calls);
            this.#traceTruncated ||= message.truncated;
            this.#observer.trace?.(calls);
            break;
          }
          case "exit":
          case "crash": {
            const crashed = message.type === "crash";
            const result = crashed
              ? this.#result(started, "error", EXIT_CODE.error, output, crashMessage(message.message, message.memoryLimitReached))
              : this.#result(started, "exited", message.exitCode, output);
            // The thread cuts output at the cap before it gets here; it knows what was cut.
            result.stdoutTruncated ||= message.truncated.stdout;
            result.stderrTruncated ||= message.truncated.stderr;
            if (message.memoryLimitReached) result.memoryLimitReached = true;
            if (!crashed) Object.assign(result, { memoryBytes: message.memoryBytes, workspacePeakBytes: message.workspacePeakBytes });
            settle(result, { reusable: true, ...(!crashed && { fs: message.fs }) });
            break;
          }
        }
      });
      thread.onError((error) => settle(this.#result(started, "error", EXIT_CODE.error, output, messageOf(error)), { reusable: false }));
      if (this.#stopRequested) return end("stopped");
      arm();
      thread.post({
        type: "run",
        runId: this.#runId,
        module,
        fs,
        args,
        env,
        stdin: new TextEncoder().encode(this.#request.stdin ?? ""),
        policy,
        outputBytes: caps,
        askCell,
        memoryLimitBytes,
        tools: tools.names,
        toolCell,
        trace: this.#request.trace ?? false,
      });
    });
  }

  async visibleEnv(policy: Policy, env: Record<string, string>, secrets: Record<string, string>): Promise<Record<string, string>> {
    const decided = await decideEnvironment(policy, env, secrets, this.#runId, this.#observer.ask);
    this.#record(decided.events);
    const { cwd } = this.#request;
    const decoys = this.#guard?.decoys.env;
    return { ...launchOf(this.#request.program, []).env, ...decoys, ...decided.env, ...this.#request.env, ...(cwd !== undefined && { PWD: cwd }) };
  }

  async #answer(request: AccessRequest, syscall: string, askCell: SharedArrayBuffer): Promise<void> {
    const answer = await this.#observer.ask!(request, syscall).catch(() => "deny" as const);
    const cell = new Int32Array(askCell);
    Atomics.store(cell, 1, ASK_ANSWER[answer]);
    Atomics.store(cell, 0, ASK_STATE.answered);
    Atomics.notify(cell, 0);
  }

  /** Decisions go through the guard (filtered, seen by the alert rules), which stores them. */
  #record(events: AuditEvent[]): void {
    if (this.#guard) this.#guard.audit(events);
    else this.#store(events);
  }

  #store(events: AuditEvent[]): void {
    foldAudit(this.#audit, events);
    this.#observer.audit?.(events);
  }

  #result(started: number, reason: ExitReason, exitCode: number, output: CapturedOutput, error?: string): RunResult {
    return {
      exitCode,
      reason,
      ...output.result(),
      durationMs: performance.now() - started,
      audit: this.#audit,
      ...(this.#request.trace && { trace: this.#trace, traceTruncated: this.#traceTruncated }),
      ...(error !== undefined && { error }),
    };
  }
}

function crashMessage(message: string, memoryLimitReached: boolean): string {
  return memoryLimitReached ? `memory limit reached (${message})` : `the program crashed: ${message}`;
}

/** The result with the workspace and mounts as the guest left them, when the caller gave them. */
function withRunFiles(result: RunResult, fs: VirtualFs, request: RunRequest): RunResult {
  const mounts = request.mounts ?? [];
  return {
    ...result,
    ...(request.workspace && {
      workspace: withoutScript(readFromVfs(fs, WORKSPACE_ROOT, request.workspace).snapshot, request.workspace, request.program),
    }),
    ...(mounts.length > 0 && { mounts: mounts.map((m) => readFromVfs(fs, m.path, m.files).snapshot) }),
  };
}
