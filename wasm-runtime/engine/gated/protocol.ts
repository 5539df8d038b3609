import type { AccessRequest, AuditEvent } from "../../capabilities.ts";
import type { Policy } from "../../policy/index.ts";
import type { OutputStream } from "../../types.ts";
import type { VfsSnapshot } from "../../vfs/index.ts";
import type { TraceCall } from "../../wasi/index.ts";

/**
 * Messages between a gated sandbox (the controller) and the thread that runs
 * one guest at a time. The thread runs the guest synchronously, so it can be
 * stopped only by terminating it; whatever it had changed is then dropped.
 */

/** Traced calls kept per run; beyond them the trace is marked truncated. */
export const MAX_TRACE_CALLS = 20_000;

/** How long an `ask` waits for a person before it counts as a denial. */
export const ASK_TIMEOUT_MS = 60_000;

/** Layout of the shared `ask` cell: [state, answer]. The thread waits while state is WAITING. */
export const ASK_STATE = { waiting: 0, answered: 1 } as const;
export const ASK_ANSWER = { once: 1, always: 2, deny: 3 } as const;

export interface RunJob {
  type: "run";
  runId: string;
  module: WebAssembly.Module;
  fs: VfsSnapshot;
  /** argv, program name first. */
  args: string[];
  /** Already filtered by the policy. */
  env: Record<string, string>;
  stdin: Uint8Array;
  policy: Policy;
  /** Per-stream caps: the thread stops forwarding beyond them. */
  outputBytes: Record<OutputStream, number>;
  /** Int32Array cell for `ask`; null when nobody can answer (ask then means deny). */
  askCell: SharedArrayBuffer | null;
  /** Memory the guest may grow to, in bytes, to tell "memory limit reached" from other crashes. */
  memoryLimitBytes: number;
  /** The tools listed under /host; the controller decides and performs each call. */
  tools: string[];
  /** The reply cell of tool calls (tool-cell.ts); null without SharedArrayBuffer (calls then fail). */
  toolCell: SharedArrayBuffer | null;
  /** Report every WASI call (`trace` messages). */
  trace: boolean;
}

export type ToRunThread = RunJob;

export type FromRunThread =
  | { type: "output"; stream: OutputStream; bytes: Uint8Array }
  | { type: "audit"; events: AuditEvent[] }
  | { type: "ask"; request: AccessRequest; syscall: string }
  /** A tool call: the thread waits on the tool cell for the reply. */
  | { type: "tool"; name: string; request: string }
  /** An operation of the guest's socket shim (tools/socket-calls.ts): the thread waits on the tool cell for the reply. */
  | { type: "socket"; request: string }
  /** A subprocess request of the guest's shim (subprocesses.ts): the thread waits on the tool cell for the reply. */
  | { type: "process"; request: string }
  /** Traced calls since the last batch; `truncated` once the thread has stopped keeping them. */
  | { type: "trace"; calls: TraceCall[]; truncated: boolean }
  | {
      type: "exit";
      exitCode: number;
      /** The filesystem as the guest left it: the controller adopts it. */
      fs: VfsSnapshot;
      truncated: Record<OutputStream, boolean>;
      memoryLimitReached: boolean;
      /** The guest's linear memory at the end, in bytes (it never shrinks, so this is its peak). */
      memoryBytes: number;
      /** The most bytes /workspace held during the run. */
      workspacePeakBytes: number;
    }
  /** A trap (or a host failure): the filesystem changes are dropped. */
  | { type: "crash"; message: string; truncated: Record<OutputStream, boolean>; memoryLimitReached: boolean };

/** A thread (Web Worker, or worker_threads in Node) speaking this protocol. */
export interface RunThread {
  post(job: ToRunThread): void;
  onMessage(listener: (message: FromRunThread) => void): void;
  onError(listener: (error: Error) => void): void;
  terminate(): void;
}

export type RunThreadFactory = () => RunThread;

/** The thread's end of the channel. */
export interface RunThreadPort {
  post(message: FromRunThread, transfer?: Transferable[]): void;
  onMessage(listener: (job: ToRunThread) => void): void;
}
