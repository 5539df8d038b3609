import type { EngineName, LoadProgress, Program, RunObserver, RunRequest, RunResult, SandboxSpec } from "../wasm-runtime/index.ts";

/**
 * What the sandbox worker exposes over comlink. Callbacks cross the boundary
 * as `Comlink.proxy(…)`; output arrives batched, one call per frame at most.
 */
export interface SandboxWorkerApi {
  /** Replaces the current sandbox with a fresh one on `engine`, holding `spec`'s files and env. */
  open(spec: SandboxSpec, engine: EngineName): Promise<void>;
  prepare(language: Program["language"], onProgress: (progress: LoadProgress) => void): Promise<void>;
  /**
   * `observer` is a comlink proxy, on which every property looks like a function;
   * `listening` names the callbacks the page really has.
   */
  run(runId: number, request: RunRequest, observer: RunObserver, listening: readonly (keyof RunObserver)[]): Promise<RunResult>;
  /**
   * Runs one terminal line (`request.program` is shell code) on a Shell kept
   * with the current sandbox, so its folder and variables carry over from line
   * to line; a fresh sandbox (`open`) starts a fresh shell.
   */
  runShellLine(runId: number, request: RunRequest, observer: RunObserver, listening: readonly (keyof RunObserver)[]): Promise<RunResult>;
  /** The kept shell's folder, for the terminal's prompt. */
  shellCwd(): Promise<string>;
  stop(runId: number): void;
  /** Guests the worker's engines ended but could not stop (Engine.abandonedGuests): the page must then replace the worker. */
  abandonedGuests(): number;
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: Uint8Array | string): Promise<void>;
}
