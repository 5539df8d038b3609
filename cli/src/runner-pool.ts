import { fork, type ChildProcess } from "node:child_process";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { failedRun, type BackendRun } from "../../wasm-runtime/api/index.ts";
import { EXIT_CODE, type RunObserver, type RunResult } from "../../wasm-runtime/types.ts";
import type { DaemonReply, DaemonRequest } from "./daemon.ts";
import type { FromRunner, RunEvent, ToRunner } from "./runner.ts";

/**
 * The daemon's runners (runner.ts): one child process per run in flight, so a
 * run that crashes its process (V8 heap exhaustion aborts a process whatever
 * Worker limits say) or leaves a guest spinning ends that process only. The
 * pool keeps SPARE_RUNNERS warm for the next request, replaces a runner that
 * died or asked to be recycled, and lets surplus idle runners go.
 */

const ENTRY = fileURLToPath(new URL("../bin/playpen.mjs", import.meta.url));
/** Warm runners kept idle for the next request. */
const SPARE_RUNNERS = 1;
/** A surplus idle runner (after a burst of concurrent runs) exits after this long. */
const SURPLUS_IDLE_MS = 20_000;
/** Starts a request tries before it fails (a runner that cannot start at all: a broken install). */
const START_ATTEMPTS = 3;
/** Runner stderr kept to explain a crash (V8 prints its fatal error there). */
const STDERR_TAIL_CHARS = 4096;
/**
 * Runs in flight at once; more wait for a runner to come free (their time
 * limit starts when they do). A runner costs ~300 MB and seconds of CPU to
 * start: 16 concurrent starts on 2 cores starved each other past their time
 * limits (bench/mcp.ts), where a queue finishes them all. PLAYPEN_MAX_RUNNERS overrides.
 */
const MAX_RUNNERS = Number(process.env.PLAYPEN_MAX_RUNNERS) || Math.max(4, 2 * cpus().length);
/** A sandbox run whose runner has not reported this long after its time limit is ended with its runner. */
const OVERDUE_MS = 15_000;

/** The client of a run, as the pool sees it. */
export interface RunClient {
  reply(reply: DaemonReply): void;
  /** A sandbox run's output and decisions as they happen. */
  event?(event: RunEvent): void;
  /** The run has its runner and starts (it may have waited for one). */
  started?(): void;
  /** Registers where the client's answers to `ask` prompts go. */
  onAnswer(listener: (answer: string) => void): void;
  /** Aborted when the client goes away (Ctrl+C): the run is abandoned and its runner killed. */
  gone: AbortSignal;
}

/** How a run ended: its exit status and, when its runner died under it, why. */
export interface RunOutcome {
  exit: number;
  /** Set when the runner died under the run (a crash): what to tell the client. */
  crash?: string;
}

export class RunnerPool {
  readonly #idle: Runner[] = [];
  readonly #starting = new Set<Runner>();
  readonly #busy = new Set<Runner>();
  /** Requests holding a runner or getting one; at most MAX_RUNNERS. */
  #inUse = 0;
  /** Requests waiting for a runner while MAX_RUNNERS are in use, first come first served. */
  readonly #waiting: (() => void)[] = [];
  #closed = false;

  /** Starts warming the spare runners. */
  warm(): void {
    this.#topUp();
  }

  /**
   * Runs `request` on a runner of its own. Resolves once the run is over,
   * whatever happened to the runner: a crash is the run's outcome, with the
   * reason, never the daemon's end.
   */
  async run(request: DaemonRequest, client: RunClient): Promise<RunOutcome> {
    const ended = await this.#runOn({ type: "run", request }, client);
    return ended.crash === undefined ? { exit: ended.exit } : { exit: ended.exit, crash: ended.crash };
  }

  /**
   * One run of a library sandbox (an MCP session's) on a runner of its own,
   * as `playpen run` gets: the pool is then the sandbox's RunBackend.
   * Aborting `signal` kills the runner (the only stop that works on every
   * engine); so does a runner overdue past the run's time limit.
   */
  readonly runSandbox = async (run: BackendRun, observer: RunObserver, signal: AbortSignal): Promise<RunResult> => {
    if (signal.aborted) return failedRun("the run was stopped", "stopped");
    const stop = new AbortController();
    const forward = () => stop.abort();
    signal.addEventListener("abort", forward, { once: true });
    let overdue: ReturnType<typeof setTimeout> | undefined;
    // From the start on its runner: waiting for one (MAX_RUNNERS busy) does not count.
    const started = () => (overdue = setTimeout(forward, (run.request.timeoutMs ?? 0) + OVERDUE_MS));
    try {
      const event = (e: RunEvent) => (e.kind === "output" ? observer.output?.(e.stream, e.text) : observer.audit?.(e.events));
      const ended = await this.#runOn({ type: "sandbox-run", run }, { reply: () => {}, event, started, onAnswer: () => {}, gone: stop.signal });
      if (ended.result) return ended.result;
      if (ended.crash !== undefined) return failedRun(ended.crash);
      return signal.aborted ? failedRun("the run was stopped", "stopped") : failedRun(`the run did not end ${OVERDUE_MS / 1000} s after its time limit, so its process was ended`, "timeout");
    } finally {
      clearTimeout(overdue);
      signal.removeEventListener("abort", forward);
    }
  };

  async #runOn(message: ToRunner, client: RunClient): Promise<Ended> {
    const runner = await this.#take();
    // The spare is started after the run, not beside it: its warm-up would slow this run down.
    const ended = await runner.run(message, client);
    this.#busy.delete(runner);
    if (ended.recycle !== null) runner.kill();
    else this.#release(runner);
    this.#free();
    this.#topUp();
    return ended;
  }

  close(): void {
    this.#closed = true;
    for (const runner of [...this.#idle, ...this.#starting, ...this.#busy]) runner.kill();
  }

  /** A warm runner, marked busy; waits while MAX_RUNNERS are in use. */
  async #take(): Promise<Runner> {
    while (this.#inUse >= MAX_RUNNERS) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#inUse++;
    try {
      const runner = await this.#start();
      this.#busy.add(runner);
      return runner;
    } catch (error) {
      this.#free();
      throw error;
    }
  }

  /** A request is done with its runner: the next waiting one may go. */
  #free(): void {
    this.#inUse--;
    this.#waiting.shift()?.();
  }

  async #start(): Promise<Runner> {
    for (let attempt = 1; ; attempt++) {
      const idle = this.#idle.pop();
      if (idle) return idle;
      // A spare still warming up is the quickest; a runner that dies while starting is replaced, a few times.
      const runner = [...this.#starting].find((r) => !r.claimed) ?? this.#spawn();
      runner.claimed = true;
      try {
        await runner.ready;
        return runner;
      } catch (error) {
        if (attempt >= START_ATTEMPTS) throw error;
      }
    }
  }

  #release(runner: Runner): void {
    if (this.#closed) return runner.kill();
    this.#idle.push(runner);
    if (this.#idle.length > SPARE_RUNNERS) runner.retireAfter(SURPLUS_IDLE_MS, () => this.#retire(runner));
  }

  #retire(runner: Runner): void {
    const index = this.#idle.indexOf(runner);
    if (index >= 0 && this.#idle.length > SPARE_RUNNERS) {
      this.#idle.splice(index, 1);
      runner.kill();
    }
  }

  /** Keeps SPARE_RUNNERS idle or starting, so the next request does not wait for a start. */
  #topUp(): void {
    const spares = () => this.#idle.length + [...this.#starting].filter((r) => !r.claimed).length;
    while (!this.#closed && spares() < SPARE_RUNNERS) {
      const runner = this.#spawn();
      runner.ready.then(
        () => {
          if (this.#closed) runner.kill();
          // Behind the runners that have run before: their code is already optimised.
          else if (!runner.claimed) this.#idle.unshift(runner);
        },
        () => {},
      );
    }
  }

  #spawn(): Runner {
    const runner = new Runner();
    this.#starting.add(runner);
    const forget = () => this.#starting.delete(runner);
    runner.ready.then(forget, forget);
    void runner.exited.then(() => {
      const index = this.#idle.indexOf(runner);
      if (index >= 0) this.#idle.splice(index, 1);
    });
    return runner;
  }
}

interface Ended {
  exit: number;
  /** A sandbox run's result, when its runner reported one. */
  result?: RunResult;
  /** Why the runner must go (null: it can take the next run). */
  recycle: string | null;
  crash?: string;
}

/** One runner process and the run it is doing. */
class Runner {
  /** Taken for a request while still starting: it goes to that request, not to the idle list. */
  claimed = false;
  readonly ready: Promise<void>;
  /** Resolves with how the process ended. */
  readonly exited: Promise<string>;
  readonly #child: ChildProcess;
  #stderr = "";
  #retireTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    // PLAYPEN_RUNNER_HEAP_MIB caps each runner's V8 heap (tests use a small one to exhaust it fast).
    const heapMiB = process.env.PLAYPEN_RUNNER_HEAP_MIB;
    const execArgv = heapMiB ? [...process.execArgv, `--max-old-space-size=${Number(heapMiB)}`] : process.execArgv;
    // Advanced serialisation: a sandbox run's workspace (a Map of byte arrays) crosses as it is.
    this.#child = fork(ENTRY, ["--runner"], { stdio: ["ignore", "ignore", "pipe", "ipc"], execArgv, serialization: "advanced" });
    this.#child.stderr!.setEncoding("utf8");
    this.#child.stderr!.on("data", (text: string) => (this.#stderr = (this.#stderr + text).slice(-STDERR_TAIL_CHARS)));
    this.exited = new Promise((resolve) => this.#child.once("exit", (code, signal) => resolve(signal ? `killed by ${signal}` : `exit status ${code}`)));
    this.#child.on("error", () => {}); // a failed spawn also exits: `exited` tells the story
    this.ready = new Promise((resolve, reject) => {
      const onMessage = (message: FromRunner) => {
        if (message.type !== "ready") return;
        this.#child.off("message", onMessage);
        resolve();
      };
      this.#child.on("message", onMessage);
      void this.exited.then((why) => reject(new Error(`a runner exited while starting: ${why}`)));
    });
  }

  run(job: ToRunner, client: RunClient): Promise<Ended> {
    clearTimeout(this.#retireTimer);
    // Gone while it waited for this runner: nothing to run, the runner stays clean.
    if (client.gone.aborted) return Promise.resolve({ exit: EXIT_CODE.stopped, recycle: null });
    const send = (message: ToRunner) => this.#child.connected && this.#child.send(message);
    return new Promise<Ended>((resolve) => {
      let over = false;
      const finish = (ended: Ended) => {
        if (over) return;
        over = true;
        this.#child.off("message", onMessage);
        client.gone.removeEventListener("abort", onGone);
        resolve(ended);
      };
      const onMessage = (message: FromRunner) => {
        if (message.type === "reply") client.reply(message.reply);
        else if (message.type === "event") client.event?.(message.event);
        else if (message.type === "done") finish({ exit: message.exit, recycle: message.recycle, ...(message.result && { result: message.result }) });
      };
      // Nobody is left to tell: the run is abandoned, and its runner with it (whatever its engine could stop).
      const onGone = () => finish({ exit: EXIT_CODE.stopped, recycle: "its client went away" });
      this.#child.on("message", onMessage);
      client.gone.addEventListener("abort", onGone, { once: true });
      client.onAnswer((answer) => send({ type: "answer", answer }));
      void this.exited.then((why) => finish({ exit: EXIT_CODE.error, recycle: why, crash: crashReason(why, this.#stderr) }));
      client.started?.();
      send(job);
    });
  }

  retireAfter(ms: number, retire: () => void): void {
    clearTimeout(this.#retireTimer);
    this.#retireTimer = setTimeout(retire, ms);
    this.#retireTimer.unref();
  }

  kill(): void {
    clearTimeout(this.#retireTimer);
    this.#child.kill("SIGKILL");
  }
}

/** Why a runner died under a run, in words its client can act on. */
function crashReason(exit: string, stderr: string): string {
  if (/Reached heap limit|heap out of memory/.test(stderr)) {
    const table = /WasmTableObject|Table::Grow/.test(stderr) ? " while growing a WebAssembly table" : "";
    return `the run exhausted the host's JavaScript heap (V8 heap limit reached${table}), so its process was ended (${exit}); other runs and the daemon are unaffected`;
  }
  return `the run's sandbox process ended unexpectedly (${exit}); other runs and the daemon are unaffected`;
}
