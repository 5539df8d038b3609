import type { AuditEvent } from "../capabilities.ts";
import { CapturedOutput } from "../engine/captured-output.ts";
import { RunGuard } from "../egress/index.ts";
import type { RunHandle, Sandbox } from "../engine/engine.ts";
import { messageOf } from "../engine/shared.ts";
import { clangResources, compileAndRunC } from "../languages/c.ts";
import { DEFAULT_POLICY, foldAudit } from "../policy/index.ts";
import { grantMounts, WorkspaceSession } from "../workspace/index.ts";
import { DEFAULT_TIMEOUT_MS, EXIT_CODE, type ExitReason, type RunObserver, type RunRequest, type RunResult, type TraceCall } from "../types.ts";
import { ScriptEnded, ShellError } from "./errors.ts";
import { ShellFiles } from "./files.ts";
import { Interpreter, parseScript } from "./interpreter.ts";
import { outputSink, ScriptStdin } from "./io.ts";
import { ShellState } from "./state.ts";

const WORKSPACE = "/workspace";
let shellRuns = 0;

/**
 * A shell over one sandbox: each `run` is a script (or a terminal's command
 * line) whose commands are WASI programs run in that sandbox, one at a time.
 * Variables, exports and the folder carry over from one `run` to the next, as
 * in a terminal. The engines know nothing of it: it only calls `Sandbox`.
 */
export class Shell {
  readonly #sandbox: Sandbox;
  readonly #state: ShellState;

  constructor(sandbox: Sandbox, options: { cwd?: string } = {}, state?: ShellState) {
    this.#sandbox = sandbox;
    this.#state = state ?? new ShellState(options.cwd ?? WORKSPACE, { HOME: WORKSPACE });
  }

  /**
   * Runs a script (a terminal's line) with this shell's folder and variables,
   * over the request's workspace when it has one: many runs, one to the caller,
   * the files going in and coming back as a whole (workspace/session.ts).
   */
  runOver(sandbox: Sandbox, request: RunRequest, observer: RunObserver = {}): RunHandle {
    let guarded: Guarded | undefined;
    const handle = WorkspaceSession.around(sandbox, request, (session, inner) => {
      guarded = guardOf(inner, observer);
      return new Shell(session, {}, this.#state).#run(inner, observer, guarded);
    });
    // The shell writes files itself too (redirections): the files coming back pass the filter as a whole.
    return { ...handle, result: handle.result.then((result) => (guarded ? guarded.guard.result(result, request) : result)) };
  }

  /** The folder the next command line starts in (for a prompt). */
  get cwd(): string {
    return this.#state.cwd;
  }

  /**
   * Runs `request.program` (a shell script) to its end, the time limit or
   * Stop, which end the current command and the script. The result is one run's:
   * the script's output (capped), `exit` status or the last command's,
   * the audit events of every command and of the shell's own file accesses.
   */
  run(request: RunRequest, observer: RunObserver = {}): RunHandle {
    return this.#run(request, observer, guardOf(request, observer));
  }

  #run(request: RunRequest, observer: RunObserver, { guard, audit }: Guarded): RunHandle {
    const { program } = request;
    if (program.language !== "shell") throw new Error(`the shell runs shell scripts, not ${program.language} programs`);
    const started = performance.now();
    const policy = request.policy ?? DEFAULT_POLICY;
    const caps = { stdout: request.outputBytes ?? policy.limits.stdoutBytes, stderr: request.outputBytes ?? policy.limits.stderrBytes };
    const output = new CapturedOutput(caps, observer.output, guard);
    // Commands' events come filtered (and alerted on) by their engine; the shell's own go through its guard.
    const trace: TraceCall[] = [];
    let traceTruncated = false;
    const recordAudit = (events: AuditEvent[]) => {
      foldAudit(audit, events);
      observer.audit?.(events);
    };
    let ending: "timeout" | "stopped" | undefined;
    let running: RunHandle | undefined;
    const end = (reason: "timeout" | "stopped") => {
      ending ??= reason;
      running?.stop();
    };
    const timeoutMs = request.timeoutMs ?? policy.limits.wallMs ?? DEFAULT_TIMEOUT_MS;
    const timer = setTimeout(() => end("timeout"), timeoutMs);
    // A mount is a grant, for the shell's own accesses as for its commands'.
    const files = new ShellFiles(this.#sandbox, grantMounts(policy, request.mounts ?? []), observer.ask, (event) => guard.audit([event]));
    const stdout = outputSink(output, "stdout");
    const stderr = outputSink(output, "stderr");
    const interpreter = new Interpreter(
      {
        sandbox: this.#sandbox,
        files,
        request,
        observer: {
          audit: recordAudit,
          ...(observer.ask && { ask: observer.ask }),
          trace: (calls) => {
            trace.push(...calls);
            observer.trace?.(calls);
          },
        },
        stdin: new ScriptStdin(request.stdin),
        stderr,
        pipeBytes: Math.max(caps.stdout, caps.stderr),
        deadline: started + timeoutMs,
        ending: () => ending,
        running: (handle) => (running = handle),
        ended: (result) => (traceTruncated ||= result.traceTruncated ?? false),
      },
      this.#state,
    );
    this.#state.positional = request.args ?? [];

    const finish = (reason: ExitReason, status: number, error?: string): RunResult => ({
      exitCode: reason === "exited" ? status : EXIT_CODE[reason],
      reason,
      ...output.result(),
      durationMs: performance.now() - started,
      audit,
      ...(request.trace && { trace, traceTruncated }),
      ...(error !== undefined && { error }),
    });
    const result = (async () => {
      try {
        const status = await interpreter.script(parseScript(program.code), { stdin: undefined, stdout, stderr });
        return finish("exited", status);
      } catch (error) {
        if (error instanceof ScriptEnded) return finish(error.reason, 0);
        if (error instanceof ShellError) {
          stderr.write(`sh: ${error.message}\n`);
          return finish("exited", (this.#state.status = error.status));
        }
        return finish("error", EXIT_CODE.error, messageOf(error));
      } finally {
        clearTimeout(timer);
      }
    })();
    return { result, stop: () => end("stopped") };
  }
}

/** A script's audit log and its own filter and alert rules (its output as a whole, the shell's own file accesses), which record into it. */
interface Guarded {
  guard: RunGuard;
  audit: AuditEvent[];
}

function guardOf(request: RunRequest, observer: RunObserver): Guarded {
  const audit: AuditEvent[] = [];
  const guard = new RunGuard(request.policy ?? DEFAULT_POLICY, request.secrets ?? {}, `shell-${++shellRuns}`, (events) => {
    foldAudit(audit, events);
    observer.audit?.(events);
  });
  return { guard, audit };
}

/** Runs a program on a sandbox: a shell script through a fresh shell, C through the compiler, anything else as the sandbox runs it. */
export function runProgram(sandbox: Sandbox, request: RunRequest, observer?: RunObserver): RunHandle {
  if (request.program.language === "shell") return new Shell(sandbox, request.cwd !== undefined ? { cwd: request.cwd } : {}).runOver(sandbox, request, observer);
  if (request.program.language === "c") return compileAndRunC(sandbox, request, request.program.code, clangResources, observer);
  return sandbox.run(request, observer);
}
