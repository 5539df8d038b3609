/** Public vocabulary of the sandbox core, shared by the worker, the page and the CLI. */

/** Languages a user can run. `wasm` is a raw WASI preview1 command module. */
export type Language = "python" | "wasm";

export type OutputStream = "stdout" | "stderr";

/** Contents of a file placed in the sandbox's virtual filesystem. */
export type FileData = string | Uint8Array;

/** What the sandbox starts with: files (relative paths land in /workspace) and environment. */
export interface SandboxSpec {
  files?: Record<string, FileData>;
  env?: Record<string, string>;
}

/** The program of a run: source code for an interpreted language, or module bytes. */
export type Program =
  | { language: "python"; code: string }
  | { language: "wasm"; module: Uint8Array; name?: string };

export interface RunRequest {
  program: Program;
  args?: string[];
  stdin?: string;
  /** Wall-clock limit; the guest is killed when it is reached. */
  timeoutMs?: number;
  /** Bytes kept per stream; the rest is discarded and the stream marked truncated. */
  outputBytes?: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_OUTPUT_BYTES = 1024 * 1024;

/**
 * How a run ended: the guest exited on its own, hit the time limit, was stopped
 * by the user, or could not start at all (bad module, missing runtime…).
 */
export type ExitReason = "exited" | "timeout" | "stopped" | "error";

/** Exit codes used when the guest did not choose one, following shell conventions. */
export const EXIT_CODE = { timeout: 124, error: 126, stopped: 130 } as const;

export interface RunResult {
  exitCode: number;
  reason: ExitReason;
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  durationMs: number;
  /** Set when reason is "error": a message a person can act on. */
  error?: string;
}

/** Receives guest output as it arrives (coalesced into chunks, never beyond the cap). */
export type OutputListener = (stream: OutputStream, text: string) => void;

/** Progress of loading a runtime (download, compile). `total` is null when unknown. */
export interface LoadProgress {
  runtime: string;
  phase: "download" | "compile" | "ready";
  loaded: number;
  total: number | null;
}
