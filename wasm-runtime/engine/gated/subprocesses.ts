import type { AuditEvent } from "../../capabilities.ts";
import { auditEvent, explainDenial, PROCESS_CONTROL_RULE, type Policy } from "../../policy/index.ts";
import type { RunObserver, RunRequest } from "../../types.ts";
import type { RunHandle, Sandbox } from "../engine.ts";
import { fromBase64, toBase64 } from "../shared.ts";

/** The hidden file under /host a program's subprocess shim calls through (languages/python-subprocess.ts). */
export const PROCESS_CHANNEL = ".process";
/** Output kept per stream of a child (its reply crosses the tool cell, 4 MiB at most, as base64). */
export const MAX_CHILD_OUTPUT_BYTES = 1024 * 1024;

export interface SubprocessesOptions {
  runId: string;
  /** The parent's request: its secrets and tools go to each child. */
  parent: RunRequest;
  /** The parent's policy (mount grants included): each child runs under it. */
  policy: Policy;
  /** Runs a shell script on the same sandbox. */
  spawn: (request: RunRequest, observer: RunObserver) => RunHandle;
  /** What is left of the parent's time limit: a child cannot outlive it. */
  remainingMs: () => number;
  /** The parent's audit: a child's decisions are the parent's. */
  record: (events: AuditEvent[]) => void;
}

/** Runs a program on a sandbox as the shell does (`runProgram`): set by the platform's entry point, which loads the shell. */
export type SubprocessRunner = (sandbox: Sandbox, request: RunRequest, observer: RunObserver) => RunHandle;

let runner: SubprocessRunner | undefined;

/** Set once by a platform's entry point (the page's sandbox worker, the CLI's engine factory): the shell builds on the engines, so they cannot import it. */
export function setSubprocessRunner(run: SubprocessRunner): void {
  runner = run;
}

export function runSubprocess(sandbox: Sandbox, request: RunRequest, observer: RunObserver): RunHandle {
  if (!runner) throw new Error("this platform runs no subprocesses (no shell was set up)");
  return runner(sandbox, request, observer);
}

/**
 * A program's subprocesses (Python's subprocess, os.system, os.popen), on the
 * controller's side: each command line runs as a nested shell run in the same
 * sandbox, under the parent's policy, within the parent's time limit, its
 * decisions in the parent's audit; the shell decides each command it starts by
 * the `commands` rules. Signalling a process is an audited denial.
 */
export class Subprocesses {
  readonly #options: SubprocessesOptions;
  readonly #running = new Set<RunHandle>();
  #stopped = false;

  constructor(options: SubprocessesOptions) {
    this.#options = options;
  }

  /** One request of the shim; the reply as JSON text. Never throws. */
  async call(requestText: string): Promise<string> {
    try {
      const request = JSON.parse(requestText) as Record<string, unknown>;
      if (request.op === "run") return JSON.stringify(await this.#run(request));
      if (request.op === "kill") return JSON.stringify(this.#kill(request));
      return JSON.stringify({ error: `unknown process operation ${JSON.stringify(request.op)}` });
    } catch (error) {
      return JSON.stringify({ error: error instanceof Error ? error.message : String(error) });
    }
  }

  /** The parent ended: its children end with it. */
  stopAll(): void {
    this.#stopped = true;
    for (const child of this.#running) child.stop();
  }

  async #run(request: Record<string, unknown>): Promise<unknown> {
    if (typeof request.script !== "string") throw new Error(`"script" must be a command line`);
    const { parent, policy, record } = this.#options;
    const stdin = typeof request.stdin === "string" ? new TextDecoder().decode(fromBase64(request.stdin)) : "";
    const handle = this.#options.spawn(
      {
        program: { language: "shell", code: request.script },
        stdin,
        policy,
        timeoutMs: Math.max(1, this.#options.remainingMs()),
        outputBytes: MAX_CHILD_OUTPUT_BYTES,
        ...(typeof request.cwd === "string" && request.cwd.startsWith("/") && { cwd: request.cwd }),
        ...(parent.secrets && { secrets: parent.secrets }),
        ...(parent.tools && { tools: parent.tools }),
      },
      { audit: record },
    );
    if (this.#stopped) handle.stop();
    this.#running.add(handle);
    try {
      const result = await handle.result;
      return { exitCode: result.exitCode, reason: result.reason, stdout: base64(result.stdout), stderr: base64(result.stderr + (result.error ? `${result.error}\n` : "")) };
    } finally {
      this.#running.delete(handle);
    }
  }

  #kill(request: Record<string, unknown>): unknown {
    const event = auditEvent(this.#options.runId, { capability: "command", name: "kill" }, "deny", PROCESS_CONTROL_RULE, `kill(${Number(request.pid)}, ${Number(request.signal)})`);
    this.#options.record([event]);
    return { error: explainDenial(event), kind: "denied" };
  }
}

const base64 = (text: string) => toBase64(new TextEncoder().encode(text));
