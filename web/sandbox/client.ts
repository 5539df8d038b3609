import * as Comlink from "comlink";
import type { EngineName, LoadProgress, Program, RunObserver, RunRequest, RunResult, SandboxSpec } from "../../wasm-runtime/index.ts";
import { DEFAULT_TIMEOUT_MS, EXIT_CODE } from "../../wasm-runtime/index.ts";
import { cRunBudgetMs } from "../../wasm-runtime/languages/c.ts";
import type { SandboxWorkerApi } from "../../workers/sandbox-api.ts";

/** How long a stopped or timed-out run may take to end before its worker is replaced. */
const STOP_GRACE_MS = 150;
const TIMEOUT_GRACE_MS = 1_000;

/**
 * Page side of the sandbox worker. The worker ends runs itself; if it fails to
 * (a wedged runtime), or ended a run whose guest its engine could not stop,
 * the client terminates it and starts a fresh one, so Stop and the time limit
 * always work, the page never waits on a guest and no guest outlives its run.
 */
export class SandboxClient {
  #worker!: Worker;
  #api!: Comlink.Remote<SandboxWorkerApi>;
  #spec: SandboxSpec;
  #engine: EngineName = "wasmer";
  #nextRunId = 1;
  #active: { id: number; forceEnd: (reason: "stopped" | "timeout") => void } | undefined;

  constructor(spec: SandboxSpec = {}, engine: EngineName = "wasmer") {
    this.#spec = spec;
    this.#engine = engine;
    this.#spawnWorker();
  }

  /** Switches engine: a fresh sandbox on it. The workspace is the page's, handed to every run: both engines share it. */
  useEngine(engine: EngineName): Promise<void> {
    this.#engine = engine;
    return this.#api.open(this.#spec, engine);
  }

  async prepare(language: Program["language"], onProgress: (p: LoadProgress) => void): Promise<void> {
    // Progress messages can arrive after the answer; once it is in, they are stale.
    let done = false;
    try {
      await this.#api.prepare(language, Comlink.proxy((progress: LoadProgress) => done || onProgress(progress)));
    } finally {
      done = true;
    }
  }

  run(request: RunRequest, observer: RunObserver): Promise<RunResult> {
    return this.#guarded(request, observer, (id, proxied, listening) => this.#api.run(id, request, proxied, listening));
  }

  /** Runs a terminal line on the worker's kept shell (see SandboxWorkerApi.runShellLine); Stop and the time limit as for `run`. */
  runShellLine(request: RunRequest, observer: RunObserver): Promise<RunResult> {
    return this.#guarded(request, observer, (id, proxied, listening) => this.#api.runShellLine(id, request, proxied, listening));
  }

  /** The terminal shell's folder; /workspace again after the worker had to be replaced. */
  shellCwd(): Promise<string> {
    return this.#api.shellCwd();
  }

  /** One run at a time, ended by the worker or, failing that, by replacing it. */
  #guarded(
    request: RunRequest,
    observer: RunObserver,
    start: (id: number, observer: RunObserver, listening: (keyof RunObserver)[]) => Promise<RunResult>,
  ): Promise<RunResult> {
    if (this.#active) return Promise.reject(new Error("a run is already in progress"));
    const id = this.#nextRunId++;
    const started = performance.now();
    return new Promise<RunResult>((resolve) => {
      let settled = false;
      const settle = (result: RunResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(watchdog);
        this.#active = undefined;
        resolve(result);
      };
      const forceEnd = (reason: "stopped" | "timeout") => {
        this.#replaceWorker();
        settle(abandonedResult(reason, performance.now() - started));
      };
      // The worker enforces the limits; this only ends a worker that failed to. C's compile steps have their own.
      const timeoutMs = request.timeoutMs ?? request.policy?.limits.wallMs ?? DEFAULT_TIMEOUT_MS;
      const budgetMs = request.program.language === "c" ? cRunBudgetMs(timeoutMs) : timeoutMs;
      const watchdog = setTimeout(() => forceEnd("timeout"), budgetMs + TIMEOUT_GRACE_MS);
      this.#active = { id, forceEnd };
      const listening = (Object.keys(observer) as (keyof RunObserver)[]).filter((key) => observer[key] !== undefined);
      start(id, Comlink.proxy(observer), listening).then(
        async (result) => {
          // The run ended, but its guest may not have: the Wasmer SDK cannot stop a busy loop. Only
          // terminating the worker (and the SDK's workers nested in it) gives its CPU back.
          if (result.reason !== "exited" && (await this.#api.abandonedGuests()) > 0) this.#replaceWorker();
          settle(result);
        },
        (error: unknown) => settle({ ...abandonedResult("error", performance.now() - started), error: String(error) }),
      );
    });
  }

  /** Stops the current run: asks the worker, and replaces it if the run has not ended shortly after. */
  stop(): void {
    const active = this.#active;
    if (!active) return;
    void this.#api.stop(active.id);
    setTimeout(() => {
      if (this.#active === active) active.forceEnd("stopped");
    }, STOP_GRACE_MS);
  }

  readFile(path: string): Promise<Uint8Array> {
    return this.#api.readFile(path);
  }

  writeFile(path: string, data: Uint8Array | string): Promise<void> {
    return this.#api.writeFile(path, data);
  }

  #spawnWorker(): void {
    this.#worker = new Worker(new URL("../../workers/sandbox.worker.ts", import.meta.url), { type: "module" });
    this.#api = Comlink.wrap<SandboxWorkerApi>(this.#worker);
    // A sandbox that cannot open (e.g. no cross-origin isolation) fails each run with the reason.
    this.#api.open(this.#spec, this.#engine).catch(() => {});
  }

  #replaceWorker(): void {
    this.#api[Comlink.releaseProxy]();
    this.#worker.terminate();
    this.#spawnWorker();
  }
}

function abandonedResult(reason: "stopped" | "timeout" | "error", durationMs: number): RunResult {
  return {
    exitCode: EXIT_CODE[reason],
    reason,
    stdout: "",
    stderr: "",
    stdoutTruncated: false,
    stderrTruncated: false,
    durationMs,
  };
}
