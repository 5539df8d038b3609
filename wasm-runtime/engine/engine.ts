import type { FileData, LoadProgress, RunObserver, RunRequest, RunResult, SandboxSpec } from "../types.ts";

/**
 * A way of running WASI programs. Engines differ in how finely they can confine
 * the guest; they all take the same requests and give the same results.
 */
export interface Engine {
  readonly name: string;
  /**
   * Guests this engine ended (time limit, Stop) but could not stop: they may
   * still use a CPU until the worker or process hosting the engine is
   * terminated, which its host must then do (the daemon's runners, the page's
   * sandbox worker). Always 0 for an engine that can end every guest itself.
   */
  readonly abandonedGuests: number;
  /** Loads and compiles a language runtime ahead of the first run that needs it. */
  prepare(language: RunRequest["program"]["language"], onProgress?: (p: LoadProgress) => void): Promise<void>;
  createSandbox(spec?: SandboxSpec): Promise<Sandbox>;
  close(): Promise<void>;
}

/** One isolated virtual filesystem and environment; runs happen inside it one at a time. */
export interface Sandbox {
  run(request: RunRequest, observer?: RunObserver): RunHandle;
  /**
   * `path` (absolute, without `.` or `..`) with every symlink on the way resolved, a final one
   * too, dangling or not: the one path host-side code decides on before it reads, writes or
   * lists. `readFile`, `writeFile` and `list` never follow a symlink themselves (they reject
   * one), so what was decided is what is acted on.
   */
  realPath(path: string): Promise<string>;
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: FileData): Promise<void>;
  /** The entries of the folder at `path`, without `.` and `..`; rejects when it is not a folder. What the shell globs and `cd`s with. */
  list(path: string): Promise<FolderEntry[]>;
  close(): Promise<void>;
}

export interface FolderEntry {
  name: string;
  kind: "file" | "directory";
}

export interface RunHandle {
  /** Settles once the guest has ended; never rejects (failures are a result with reason "error"). */
  readonly result: Promise<RunResult>;
  /** Ends the run now; its result then has reason "stopped". */
  stop(): void;
}

/** Fetches a runtime's module bytes (from the app's assets in a browser, from disk in Node). */
export type RuntimeSource = (runtime: string, onProgress?: (p: LoadProgress) => void) => Promise<Uint8Array>;

/**
 * Compiles module bytes. Node's compiles in memory; the page's reuses the
 * compilation it started while the runtime downloaded (see workers/).
 */
export type ModuleCompiler = (bytes: Uint8Array) => Promise<WebAssembly.Module>;
