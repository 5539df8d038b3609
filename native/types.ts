/**
 * The vocabulary of the native runner: what a backend is, what it runs, what
 * comes back. Everything else in native/ is written against these types.
 */

/** A program to run inside a sandbox, with its arguments already resolved. */
export interface Invocation {
  /** File name of a static binary in the workload set, e.g. "cpu-bench". */
  binary: string;
  args: string[];
  /** Environment granted to the guest. Nothing else of the runner's reaches it where the backend can help it. */
  env: Record<string, string>;
  /** Host folders the program must read and map besides the workloads (the Python interpreter's). */
  readPaths?: string[];
}

/** Limits every backend applies where it has the means to. */
export interface Limits {
  memoryMiB: number;
  pids: number;
}

export const DEFAULT_LIMITS: Limits = { memoryMiB: 64, pids: 64 };

/**
 * Where the files a backend needs were built. Plain data, so that `command()`
 * stays a pure function of its inputs.
 */
export interface Artifacts {
  /** Host folder with the static workload binaries. */
  workloadBin: string;
  /** Host folder of the busybox root filesystem (binaries in /bench). */
  rootfs: string;
  /** Host folder under which per-run OCI bundles are written. */
  bundles: string;
  /** The Landlock + seccomp launcher binary. */
  landlockLauncher: string;
}

/** Everything `command()` needs to know about one run. */
export interface CommandOptions {
  /** Unique per run: container name, cgroup name, bundle folder. */
  runId: string;
  /** A per-run host folder the guest may write (host-layout backends only). */
  hostScratch: string;
  limits: Limits;
  artifacts: Artifacts;
}

/** What `run()` will execute: pure data, built by `command()`. */
export interface CommandPlan {
  argv: string[];
  /** Files written before the start, e.g. the run's OCI config.json. */
  files: { path: string; content: string }[];
  /**
   * Commands that remove whatever the run may leave behind (a container, its
   * state, its cgroup). Run after every run, also after a timeout; failures
   * are ignored because after a clean exit there is usually nothing to remove.
   */
  cleanup: string[][];
  /** Host paths removed after the run (the run's bundle folder). */
  removePaths: string[];
  /** Variables added to the environment of the backend's own process (which the host-layout backends pass on). */
  env?: Record<string, string>;
  /** Working folder of the backend's own process. */
  cwd?: string;
}

export interface RunOptions {
  timeoutMs: number;
  /** Output beyond this, on stdout or on stderr, is dropped and the run is stopped. Default 1 MiB each. */
  outputLimitBytes?: number;
  /** Extra variables in the environment of the backend's own process (the probes' secret). */
  hostEnv?: Record<string, string>;
  limits?: Limits;
  /** Stops the run early, with the same cleanup as a timeout. */
  signal?: AbortSignal;
}

export interface ProcessResult {
  /** Exit status, or null when the process was ended by a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawning the backend's process to its exit. */
  durationMs: number;
  timedOut: boolean;
  /** Output went past the limit and the run was stopped. */
  outputTruncated: boolean;
}

export interface RunResult extends ProcessResult {
  /** The run's id: its container name, cgroup and bundle folder, for finding leftovers. */
  runId: string;
}

export type Detection = { available: true; version: string } | { available: false; reason: string };

/**
 * How the guest sees files. "rootfs": the busybox root filesystem, binaries in
 * /bench, a private writable /workspace. "host": the host's own paths, binaries
 * in the workload folder, the per-run scratch folder as workspace.
 */
export type Layout = "rootfs" | "host";

/**
 * Anything the comparison times workloads and runs probes in: a native
 * backend, or a WebAssembly engine in Node or Chromium (native/wasm/).
 */
export interface Contender {
  /** Stable identifier used in results and on the command line: "runc", "wasm-gated-node". */
  readonly name: string;
  /** Human name: "runc (OCI runtime)". */
  readonly title: string;
  /** What this contender enforces and what it cannot, in a sentence or two, for the results. */
  readonly notes: string;
  detect(): Promise<Detection>;
  run(invocation: Invocation, options: RunOptions): Promise<RunResult>;
  /**
   * What is left of a run (containers, runtime state, cgroups, processes
   * naming it): empty when clean. Without a run id, what is left of any run.
   */
  leftovers(runId?: string): Promise<string[]>;
  /** Stops what the contender started for its runs (a daemon, a browser). */
  close?(): Promise<void>;
}

export type EngineName = "wasmer" | "gated";
export type WasmHost = "node" | "chromium";

/** A Playpen engine running the WASI builds of the same workloads and probes. */
export interface WasmContender extends Contender {
  readonly kind: "wasm";
  readonly engine: EngineName;
  readonly host: WasmHost;
}

export interface Backend extends Contender {
  readonly layout: Layout;
  /** Host-layout backends: the folder under which each run's scratch folder is made (default: HOST_SCRATCH, a tmpfs). */
  readonly scratchRoot?: string;
  /** Pure: the command line and files of one run. */
  command(invocation: Invocation, options: CommandOptions): CommandPlan;
}

export function isWasm(contender: Contender): contender is WasmContender {
  return (contender as Partial<WasmContender>).kind === "wasm";
}

export type Verdict = "blocked" | "allowed" | "contained" | "crashed";
