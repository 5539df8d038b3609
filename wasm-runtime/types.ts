/** Public vocabulary of the sandbox core, shared by the worker, the page and the CLI. */
import type { AccessRequest, AuditEvent } from "./capabilities.ts";
import type { Policy } from "./policy/index.ts";
import type { ScriptLanguage } from "./languages/index.ts";
import type { Mount, WorkspaceSnapshot } from "./workspace/index.ts";
import type { TraceCall } from "./wasi/trace.ts";

export type { ScriptLanguage, TraceCall };

/** The engines: @wasmer/sdk (coarse confinement), or Playpen's own WASI host with a policy check on every call. */
export type EngineName = "wasmer" | "gated";

/**
 * Languages a user can run: an interpreted one (languages/index.ts), `wasm`, a
 * raw WASI preview1 command module, or `shell`, a script whose commands are WASI
 * programs, run by the shell layer over a sandbox (shell/), never by an engine,
 * or `c`, compiled and linked in the sandbox by clang, then run (languages/c.ts).
 */
export type Language = ScriptLanguage | "wasm" | "shell" | "c";

export type OutputStream = "stdout" | "stderr";

/** Contents of a file placed in the sandbox's virtual filesystem. */
export type FileData = string | Uint8Array;

/** What the sandbox starts with: files (relative paths land in /workspace) and environment. */
export interface SandboxSpec {
  files?: Record<string, FileData>;
  env?: Record<string, string>;
}

/**
 * The program of a run: source code for an interpreted language, module bytes,
 * or a command of a runtime served by name (a busybox applet, the C compiler,
 * an interpreter given a file) — what the shell and compile-then-run use.
 * A command's argv is `[command, ...args]`.
 */
export type Program =
  | { language: ScriptLanguage; code: string }
  | { language: "wasm"; module: Uint8Array; name?: string }
  | { language: "command"; runtime: string; command: string }
  | { language: "shell"; code: string }
  | { language: "c"; code: string };

export interface RunRequest {
  program: Program;
  args?: string[];
  stdin?: string;
  /**
   * The guest's working folder (default /workspace). WASI has no working
   * folder of its own: it is passed as PWD, which Playpen's runtimes change to
   * at start; a raw module sees only the variable.
   */
  cwd?: string;
  /**
   * The files of /workspace for this run, replacing what the sandbox had
   * there: the run starts from exactly this snapshot (see RunResult.workspace).
   * Without it the sandbox keeps its own /workspace from run to run.
   */
  workspace?: WorkspaceSnapshot;
  /** Trees at other guest paths for this run only (e.g. read-only /data); each is a grant (workspace/mounts.ts). */
  mounts?: Mount[];
  /** Variables the caller sets itself (a shell's exports), on top of what the policy lets the guest see. */
  env?: Record<string, string>;
  /** Wall-clock limit; the guest is killed when it is reached. */
  timeoutMs?: number;
  /** Bytes kept per stream; the rest is discarded and the stream marked truncated. */
  outputBytes?: number;
  /**
   * What the run may touch. The gated engine enforces every rule; the Wasmer
   * engine refuses a policy it cannot enforce rather than ignore part of it.
   */
  policy?: Policy;
  /** Values of named secrets; the guest sees one only if the policy grants it. */
  secrets?: Record<string, string>;
  /**
   * Tools of the user's own, beside the built-in `http`, `kv` and `secrets`
   * (gated engine): name → JavaScript source of a function, usually async,
   * `(args, context) => result`, run on the host side (the sandbox worker, or
   * the CLI process) when the guest calls it and the policy allows. `args` is
   * the guest's JSON request, `context` is `{ runId, signal }` (aborted when
   * the run ends); the result, as JSON, is the reply, and a thrown error the
   * reply `{ "error": message }`. Names: letters, digits, `_` and `-`.
   */
  tools?: Record<string, string>;
  /** Record every WASI call the guest makes (gated engine): RunResult.trace and RunObserver.trace. */
  trace?: boolean;
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
  /** Every policy decision the run caused, in order (gated engine). */
  audit?: AuditEvent[];
  /** The guest needed more memory than the limit allowed. */
  memoryLimitReached?: boolean;
  /** Peak linear memory of the guest, in bytes, when it exited on its own (gated engine). */
  memoryBytes?: number;
  /** The most bytes /workspace held during the run, when it exited on its own (gated engine). */
  workspacePeakBytes?: number;
  /** Every WASI call of the run, in order, when RunRequest.trace was set (the first 20 000). */
  trace?: TraceCall[];
  /** The guest made more calls than `trace` keeps. */
  traceTruncated?: boolean;
  /**
   * /workspace as the guest left it, when RunRequest.workspace was given and
   * the guest exited on its own within the quota. Absent after a stop, a time
   * limit, a crash or an error: the run's changes are then dropped whole and
   * the request's snapshot is still the workspace — never a half-written state.
   */
  workspace?: WorkspaceSnapshot;
  /** Likewise each RunRequest.mounts tree, in request order (read-only ones as they went in). */
  mounts?: WorkspaceSnapshot[];
  /**
   * Paths in read-only mounts the guest changed although it may not: an
   * engine that cannot refuse such writes during the run (wasmer) discards
   * them afterwards and lists them here.
   */
  discardedWrites?: string[];
}

/** The answer to an `ask` decision: allow this once, allow from now on (adds a rule), or deny. */
export type AskAnswer = "once" | "always" | "deny";

/** Everything a run reports while it is going on. All optional. */
export interface RunObserver {
  /** Guest output as it arrives (coalesced into chunks, never beyond the cap). */
  output?: OutputListener;
  /** Policy decisions as they are made, in batches. */
  audit?: (events: AuditEvent[]) => void;
  /** An `ask` rule matched: the guest waits for the answer. Without this, ask means deny. */
  ask?: (request: AccessRequest, syscall: string) => Promise<AskAnswer>;
  /** WASI calls as they are made, in batches, when RunRequest.trace is set. */
  trace?: (calls: TraceCall[]) => void;
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
