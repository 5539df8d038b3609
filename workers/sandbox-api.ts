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
  stop(runId: number): void;
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: Uint8Array | string): Promise<void>;
}
