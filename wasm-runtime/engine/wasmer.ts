import type { Package, Process, Sandbox as SdkSandbox, Wasmer, WritableBytes } from "@wasmer/sdk";
import type { AuditEvent } from "../capabilities.ts";
import { assertWasiCommand, fixZeroTimeoutPoll, limitModule, pagesOfMiB, setMemoryMaximum } from "../module/index.ts";
import { DEFAULT_LIMITS, foldAudit } from "../policy/index.ts";
import { unenforceable } from "./capability-matrix.ts";
import { decideEnvironment } from "./environment.ts";
import { cached, compileInMemory, messageOf, sha256 } from "./shared.ts";
import { firstCommandOf, launchOf, runtimeSupport, scriptOf } from "../languages/index.ts";
import {
  DEFAULT_TIMEOUT_MS,
  EXIT_CODE,
  type ExitReason,
  type FileData,
  type LoadProgress,
  type OutputStream,
  type Program,
  type RunObserver,
  type RunRequest,
  type RunResult,
  type SandboxSpec,
} from "../types.ts";
import { diff, isWithin, WORKSPACE_ROOT } from "../workspace/index.ts";
import { CapturedOutput } from "./captured-output.ts";
import { RunGuard } from "../egress/index.ts";
import { checkedMounts, rootMountOf, withoutScript } from "./run-workspace.ts";
import { readTree, treeBytes, writeTree } from "./wasmer-files.ts";
import type { Engine, FolderEntry, ModuleCompiler, RunHandle, RuntimeSource, Sandbox } from "./engine.ts";
import { CompiledModules } from "./wasmer-compiled-modules.ts";

/**
 * The @wasmer/sdk engine: each sandbox is a Wasmer sandbox with its own
 * /workspace; the SDK runs guests in workers of its own. Confinement is coarse
 * (which files exist, no network), decided when the sandbox is created.
 */
export class WasmerEngine implements Engine {
  readonly name = "wasmer";
  /**
   * The SDK's kill cannot interrupt a guest that makes no system call (a busy
   * loop keeps its thread at 100% for good), so every run ended from outside
   * counts: the host must terminate the worker or process the SDK lives in.
   */
  abandonedGuests = 0;
  readonly #wasmer: Wasmer;
  readonly #runtimes: RuntimeSource;
  readonly #packages = new Map<string, Promise<Package>>();
  readonly #compile: ModuleCompiler;
  /** Runtime modules as the SDK gets them, each compiled once and registered for the SDK to reuse. */
  readonly #runtimeModules = new Map<string, Promise<Uint8Array>>();
  readonly #compiled = new CompiledModules();

  constructor(wasmer: Wasmer, runtimes: RuntimeSource, compile: ModuleCompiler = compileInMemory) {
    this.#wasmer = wasmer;
    this.#runtimes = runtimes;
    this.#compile = compile;
  }

  async prepare(language: Program["language"], onProgress?: (p: LoadProgress) => void): Promise<void> {
    requireSharedMemory();
    const first = firstCommandOf(language);
    if (first) await this.#runtimePackage(first.runtime, first.command, undefined, onProgress);
  }

  async createSandbox(spec: SandboxSpec = {}): Promise<Sandbox> {
    requireSharedMemory();
    // The environment is given per command, so a policy can withhold part of it.
    const sandbox = await this.#wasmer.sandboxes.create({ files: spec.files ?? {} });
    return new WasmerSandbox(sandbox, {
      packageFor: (program, memoryMiB) => this.#packageFor(program, memoryMiB),
      env: spec.env ?? {},
      mountPackage: (files) => this.#mountPackage(files),
      abandoned: () => this.abandonedGuests++,
    });
  }

  async close(): Promise<void> {
    this.#compiled.dispose();
    await this.#wasmer.close();
  }

  /**
   * One package per runtime command: the SDK names argv[0] after the command,
   * which multi-call runtimes (busybox, clang's wasm-ld) read. (A package holding
   * all of busybox's applets compiles once but makes every spawn slower: measured.)
   */
  #runtimePackage(runtime: string, command: string, memoryMiB: number = DEFAULT_LIMITS.memoryMiB, onProgress?: (p: LoadProgress) => void): Promise<Package> {
    return cached(this.#packages, `runtime:${runtime}:${command}:${memoryMiB}`, async () => {
      const module = await this.#runtimeModule(runtime, memoryMiB, onProgress);
      const pkg = await this.#wasmer.packages.create({
        modules: { [command]: module },
        commands: { [command]: { module: command } },
        files: runtimeSupport(runtime).files,
      });
      onProgress?.({ runtime, phase: "ready", loaded: module.length, total: module.length });
      return pkg;
    });
  }

  /** A runtime's module at a memory limit, compiled here (once for all its commands) for the SDK to reuse. */
  #runtimeModule(runtime: string, memoryMiB: number, onProgress?: (p: LoadProgress) => void): Promise<Uint8Array> {
    return cached(this.#runtimeModules, `${runtime}:${memoryMiB}`, async () => {
      const source = await this.#runtimes(runtime, onProgress);
      onProgress?.({ runtime, phase: "compile", loaded: 0, total: null });
      const bytes = setMemoryMaximum(source, pagesOfMiB(memoryMiB));
      this.#compiled.add(bytes, await this.#compile(bytes));
      return bytes;
    });
  }

  /**
   * Read-only mounts outside /workspace travel as the files of a package (the
   * SDK's sandbox filesystem ends at /workspace). The guest can write them, but
   * each process gets its own copy, dropped when it ends.
   */
  #mountPackage(files: Record<string, Uint8Array>): Promise<Package> {
    return this.#wasmer.packages.create({ modules: { "playpen-mount": NO_OP_COMMAND }, commands: { "playpen-mount": { module: "playpen-mount" } }, files });
  }

  /** Packages are cached per module and memory limit: the limit is written into the module. */
  async #packageFor(program: Program, memoryMiB: number = DEFAULT_LIMITS.memoryMiB): Promise<Package> {
    const { runtime, argv } = launchOf(program, []);
    if (runtime) return this.#runtimePackage(runtime, argv[0]!, memoryMiB);
    if (program.language !== "wasm") throw new Error(`no runtime for ${program.language}`);
    assertWasiCommand(program.module);
    const key = `module:${await sha256(program.module)}:${memoryMiB}`;
    return cached(this.#packages, key, () => this.#wasmer.packages.load(withMemoryLimit(withPollFix(program.module), memoryMiB)));
  }
}

/** What a sandbox needs from its engine. */
interface SandboxNeeds {
  packageFor: PackageFor;
  env: Record<string, string>;
  mountPackage: (files: Record<string, Uint8Array>) => Promise<Package>;
  /** Counts a guest ended from outside, which may still be running. */
  abandoned: () => void;
}

class WasmerSandbox implements Sandbox {
  readonly #sandbox: SdkSandbox;
  readonly #needs: SandboxNeeds;
  readonly #installed = new Set<Package>();
  #runs = 0;

  constructor(sandbox: SdkSandbox, needs: SandboxNeeds) {
    this.#sandbox = sandbox;
    this.#needs = needs;
  }

  run(request: RunRequest, observer: RunObserver = {}): RunHandle {
    const run = new WasmerRun(request, observer, `run-${++this.#runs}`, this.#needs.abandoned);
    // The SDK cannot refuse a write, but /workspace (writable mounts included) is all the guest can write: its size is watched.
    const budget = request.policy?.limits.workspaceBytes ?? DEFAULT_LIMITS.workspaceBytes;
    const overBudget = async () => {
      const bytes = await treeBytes(this.#sandbox.fs, WORKSPACE_ROOT);
      return bytes > budget && quotaExceeded(bytes, budget);
    };
    const result = run.start(() => this.#spawn(request, run), overBudget).then(async (r) => run.filtered(await this.#collect(request, r)));
    return { result, stop: () => run.stop() };
  }

  /** The SDK's file calls never follow a symlink (they fail on one: "fd not a file"), so the path is the node. */
  async realPath(path: string): Promise<string> {
    return path;
  }

  readFile(path: string): Promise<Uint8Array> {
    return this.#sandbox.fs.readFile(path);
  }

  writeFile(path: string, data: FileData): Promise<void> {
    return this.#sandbox.fs.writeFile(path, data);
  }

  async list(path: string): Promise<FolderEntry[]> {
    return (await this.#sandbox.fs.readDir(path)).map(({ name, kind }) => ({ name, kind }));
  }

  close(): Promise<void> {
    return this.#sandbox.close();
  }

  async #spawn(request: RunRequest, run: WasmerRun): Promise<Process> {
    const { program } = request;
    const policy = request.policy;
    if (request.trace) throw new Error("the syscall trace needs the gated engine: the wasmer engine cannot see the guest's calls");
    if (request.tools && Object.keys(request.tools).length > 0) {
      throw new Error("host tools need the gated engine: the wasmer engine has no /host mount");
    }
    if (policy) {
      const problems = unenforceable("wasmer", policy);
      if (problems.length > 0) {
        throw new Error(`the wasmer engine cannot enforce this policy: ${problems.join("; ")}. Run it on the gated engine.`);
      }
    }
    await this.#placeFiles(request);
    const pkg = await this.#needs.packageFor(program, policy?.limits.memoryMiB);
    if (!this.#installed.has(pkg)) {
      await this.#sandbox.installPackage(pkg);
      this.#installed.add(pkg);
    }
    let env = this.#needs.env;
    if (policy) {
      const decided = await decideEnvironment(policy, env, request.secrets ?? {}, run.id, run.observer.ask);
      run.record(decided.events);
      env = decided.env;
    }
    const script = scriptOf(program);
    if (script) await this.#sandbox.fs.writeText(script.path, script.code);
    const launch = launchOf(program, request.args ?? []);
    env = { ...launch.env, ...env, ...request.env, ...(request.cwd !== undefined && { PWD: request.cwd }) };
    // The SDK supplies argv[0] itself, from the package's command.
    return this.#sandbox.command(pkg, launch.argv.slice(1), { env, ...(request.cwd !== undefined && { cwd: request.cwd }) }).spawn({
      stdin: request.stdin === undefined ? "closed" : "pipe",
      stdout: "pipe",
      stderr: "pipe",
    });
  }

  /** The request's workspace and mounts, in place before the guest starts. */
  async #placeFiles(request: RunRequest): Promise<void> {
    const mounts = checkedMounts(request);
    if (rootMountOf(request)) throw new Error("the wasmer engine cannot mount a folder at / (its sandbox filesystem is its own): run on the gated engine");
    const outside = mounts.filter((m) => !isWithin(m.path, WORKSPACE_ROOT));
    const writable = outside.find((m) => !m.readOnly);
    if (writable) {
      throw new Error(`the wasmer engine can place files outside /workspace only read-only (@wasmer/sdk's sandbox filesystem ends at /workspace): mount ${writable.path} below /workspace, read-only, or run on the gated engine`);
    }
    if (request.workspace) await writeTree(this.#sandbox.fs, WORKSPACE_ROOT, request.workspace);
    for (const mount of mounts) if (!outside.includes(mount)) await writeTree(this.#sandbox.fs, mount.path, mount.files);
    if (outside.length > 0) {
      const files: Record<string, Uint8Array> = {};
      for (const mount of outside) for (const [path, entry] of mount.files.entries) if (entry.kind === "file") files[`${mount.path}/${path}`] = entry.data;
      await this.#sandbox.installPackage(await this.#needs.mountPackage(files));
    }
  }

  /**
   * The workspace and mounts as the guest left them, when it exited on its own.
   * What this engine cannot refuse during the run it undoes after: writes to
   * read-only mounts (listed in discardedWrites), and growth beyond the quota
   * (an error result; the changes are dropped).
   */
  async #collect(request: RunRequest, result: RunResult): Promise<RunResult> {
    const mounts = request.mounts ?? [];
    if (!request.workspace && mounts.length === 0) return result;
    const fs = this.#sandbox.fs;
    try {
      const discardedWrites: string[] = [];
      for (const mount of mounts) {
        if (!mount.readOnly || !isWithin(mount.path, WORKSPACE_ROOT)) continue;
        const changed = diff(mount.files, await readTree(fs, mount.path, mount.files)).entries;
        if (changed.length === 0) continue;
        discardedWrites.push(...changed.map((e) => `${mount.path}/${e.path}`));
        await writeTree(fs, mount.path, mount.files);
      }
      const discarded = discardedWrites.length > 0 && { discardedWrites };
      if (result.reason !== "exited") return { ...result, ...discarded };
      const workspace = request.workspace && withoutScript(await readTree(fs, WORKSPACE_ROOT, request.workspace), request.workspace, request.program);
      const limit = request.policy?.limits.workspaceBytes ?? DEFAULT_LIMITS.workspaceBytes;
      if (workspace && workspace.bytes > limit) {
        const error = `workspace quota exceeded: the run left ${workspace.bytes} bytes in /workspace, ${limit} allowed; its changes were discarded (the wasmer engine checks the quota after the run)`;
        return { ...result, reason: "error", exitCode: EXIT_CODE.error, error, ...discarded };
      }
      const after = await Promise.all(mounts.map((m) => (m.readOnly || !isWithin(m.path, WORKSPACE_ROOT) ? m.files : readTree(fs, m.path, m.files))));
      return { ...result, ...(workspace && { workspace }), ...(mounts.length > 0 && { mounts: after }), ...discarded };
    } catch (error) {
      return { ...result, reason: "error", exitCode: EXIT_CODE.error, error: `could not read the workspace back: ${messageOf(error)}` };
    }
  }
}

/** `(module (memory 1) (export "memory" (memory 0)) (func (export "_start")))`: a package needs a command. */
const NO_OP_COMMAND = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x05, 0x03, 0x01, 0x00,
  0x01, 0x07, 0x13, 0x02, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, 0x06, 0x5f, 0x73, 0x74, 0x61, 0x72, 0x74, 0x00, 0x00,
  0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,
]);

const KILLED_STREAM_GRACE_MS = 20;
/** How often the writable tree's size is checked while a guest runs. */
const QUOTA_POLL_MS = 50;

type PackageFor = (program: Program, memoryMiB?: number) => Promise<Package>;

/** How a run was ended from outside: a limit, Stop, or a budget's message. */
type Ending = "timeout" | "stopped" | { error: string };

function quotaExceeded(bytes: number, budget: number): string {
  return `workspace quota exceeded during the run: /workspace held ${bytes} bytes, ${budget} allowed; the run was ended and its changes discarded`;
}

/** One run's lifecycle: start, stream output, end by exit, time limit or stop. */
class WasmerRun {
  readonly id: string;
  readonly observer: RunObserver;
  readonly #request: RunRequest;
  readonly #output: CapturedOutput;
  readonly #audit: AuditEvent[] = [];
  readonly #guard: RunGuard;
  readonly #abandoned: () => void;
  #process: Process | undefined;
  #spawning = false;
  #ending: Ending | undefined;

  constructor(request: RunRequest, observer: RunObserver, id: string, abandoned: () => void) {
    this.id = id;
    this.observer = observer;
    this.#request = request;
    this.#abandoned = abandoned;
    const limits = request.policy?.limits ?? DEFAULT_LIMITS;
    const caps = { stdout: request.outputBytes ?? limits.stdoutBytes, stderr: request.outputBytes ?? limits.stderrBytes };
    this.#guard = RunGuard.of(request, id, (events) => {
      foldAudit(this.#audit, events);
      this.observer.audit?.(events);
    });
    this.#output = new CapturedOutput(caps, observer.output, this.#guard);
  }

  /** Decisions, filtered and seen by the alert rules. */
  record(events: AuditEvent[]): void {
    this.#guard.audit(events);
  }

  /** The result as it may leave the engine (files and error filtered). */
  filtered(result: RunResult): RunResult {
    return this.#guard.result(result, this.#request);
  }

  stop(): void {
    this.#end("stopped");
  }

  /**
   * Runs the guest `spawn` starts. While it runs, `overBudget` (if given) is
   * polled: a message from it ends the run as an error, its changes dropped.
   */
  async start(spawn: () => Promise<Process>, overBudget?: () => Promise<string | false>): Promise<RunResult> {
    const started = performance.now();
    const timeoutMs = this.#request.timeoutMs ?? this.#request.policy?.limits.wallMs ?? DEFAULT_TIMEOUT_MS;
    const timer = setTimeout(() => this.#end("timeout"), timeoutMs);
    try {
      this.#spawning = true;
      this.#process = await spawn();
      if (this.#ending) void this.#process.kill();
      if (overBudget) void this.#watch(overBudget);
      const process = this.#process;
      const pumps = [this.#pump("stdout", process.stdout), this.#pump("stderr", process.stderr)];
      if (process.stdin) void feed(process.stdin, this.#request.stdin ?? "");
      const output = await process.wait();
      // A killed process's streams never end: take what has arrived and move on.
      await (this.#ending ? Promise.race([Promise.all(pumps), delay(KILLED_STREAM_GRACE_MS)]) : Promise.all(pumps));
      return this.#endedResult(started, output.exitCode);
    } catch (error) {
      if (this.#ending) return this.#endedResult(started, 0);
      return { ...this.#result(started, "error", EXIT_CODE.error), error: messageOf(error) };
    } finally {
      clearTimeout(timer);
      this.#spawning = false;
    }
  }

  #endedResult(started: number, exitCode: number): RunResult {
    const ending = this.#ending;
    if (!ending) return this.#result(started, "exited", exitCode);
    if (typeof ending === "string") return this.#result(started, ending, 0);
    return { ...this.#result(started, "error", EXIT_CODE.error), error: ending.error };
  }

  /** Polls the budget until the run ends; over it, the run ends with its message. */
  async #watch(overBudget: () => Promise<string | false>): Promise<void> {
    while (this.#spawning && !this.#ending) {
      const over = await overBudget().catch(() => false as const);
      if (over) return this.#end({ error: over });
      await delay(QUOTA_POLL_MS);
    }
  }

  #end(ending: Ending): void {
    if (this.#ending) return;
    this.#ending = ending;
    if (this.#spawning) this.#abandoned();
    void this.#process?.kill();
  }

  async #pump(stream: OutputStream, source: AsyncIterable<Uint8Array> | null): Promise<void> {
    if (!source) return;
    // Keep draining past the cap: a guest blocked on a full pipe would never end.
    for await (const chunk of source) this.#output.push(stream, chunk);
  }

  #result(started: number, reason: ExitReason, exitCode: number): RunResult {
    const code = reason === "exited" || reason === "error" ? exitCode : EXIT_CODE[reason];
    return { exitCode: code, reason, ...this.#output.result(), durationMs: performance.now() - started, audit: this.#audit };
  }
}

/** A guest may exit without reading its stdin; that is its business, not an error. */
async function feed(stdin: WritableBytes, data: string): Promise<void> {
  try {
    await stdin.write(data);
    await stdin.close();
  } catch {
    // The process has ended; its result tells the story.
  }
}

function withMemoryLimit(module: Uint8Array, memoryMiB: number): Uint8Array {
  return limitModule(module, pagesOfMiB(memoryMiB));
}

/** The SDK hangs on zero-timeout polls; a module we cannot patch still runs, just unpatched. */
function withPollFix(module: Uint8Array): Uint8Array {
  try {
    return fixZeroTimeoutPoll(module);
  } catch {
    return module;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The SDK runs guests on threads that share memory. Without SharedArrayBuffer (a
 * page that is not cross-origin isolated) it only logs a console message and
 * reports exit 0 having run nothing: refuse instead, with the reason.
 */
function requireSharedMemory(): void {
  if (typeof SharedArrayBuffer !== "function") {
    throw new Error(
      "the Wasmer engine cannot start: SharedArrayBuffer is unavailable because this page is not cross-origin isolated " +
        "(the server sends no COOP/COEP headers and Playpen's service worker could not add them). The gated engine still runs, without asks or host tools.",
    );
  }
}
