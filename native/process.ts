/**
 * Runs one command line with a time limit and an output cap, and makes sure
 * that when it is stopped, its whole process group goes with it.
 */
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import type { ProcessResult } from "./types.ts";

export const DEFAULT_OUTPUT_LIMIT = 1024 * 1024;

/** How long to wait for the pipes to close after the process exited. */
const PIPE_GRACE_MS = 500;

export interface SpawnOptions {
  timeoutMs: number;
  outputLimitBytes?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Stops the run like a timeout does (the runner's Ctrl-C). */
  signal?: AbortSignal;
}

/**
 * Spawns `argv` in a new process group (detached) so that a timeout can kill
 * the backend's process and every child it forked in one signal, and resolves
 * when it has exited. Never rejects for the program's sake: a missing program
 * is exit 127 with the error in stderr, like a shell.
 */
export function runProcess(argv: string[], options: SpawnOptions): Promise<ProcessResult> {
  const [program, ...args] = argv;
  if (!program) throw new Error("runProcess: empty command line");
  const limit = options.outputLimitBytes ?? DEFAULT_OUTPUT_LIMIT;

  return new Promise((resolve) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    let outputTruncated = false;
    const started = performance.now();
    const child = spawn(program, args, {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: options.env ?? process.env,
      cwd: options.cwd,
    });

    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // The group is already gone.
      }
    };

    // Each stream has its own cap, so a flood on stdout cannot hide what stderr says.
    const collect = (into: Buffer[]) => {
      let kept = 0;
      return (chunk: Buffer) => {
        const room = limit - kept;
        if (chunk.length > room) {
          if (room > 0) into.push(chunk.subarray(0, room));
          kept = limit;
          if (!outputTruncated) {
            outputTruncated = true;
            killGroup();
          }
          return;
        }
        into.push(chunk);
        kept += chunk.length;
      };
    };
    child.stdout.on("data", collect(stdout));
    child.stderr.on("data", collect(stderr));

    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    if (options.signal?.aborted) killGroup();
    options.signal?.addEventListener("abort", killGroup, { once: true });

    let settled = false;
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null, durationMs: number, extraError = "") => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", killGroup);
      // Children that outlive the process they were forked by are in its group too.
      killGroup();
      resolve({
        exitCode,
        signal,
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8") + extraError,
        durationMs,
        timedOut,
        outputTruncated,
      });
    };

    child.on("error", (error) => {
      finish(127, null, performance.now() - started, `${program}: ${error.message}\n`);
    });
    child.on("exit", (code, signal) => {
      const durationMs = performance.now() - started;
      // Wait for the pipes to drain, but not for a grandchild that holds them open.
      const grace = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish(code, signal, durationMs);
      }, PIPE_GRACE_MS);
      child.on("close", () => {
        clearTimeout(grace);
        finish(code, signal, durationMs);
      });
    });
  });
}

/** Runs a short helper command (cleanup, detection) and returns its result; never throws. */
export function runQuiet(argv: string[], timeoutMs = 15_000, env?: NodeJS.ProcessEnv): Promise<ProcessResult> {
  return runProcess(argv, { timeoutMs, env, outputLimitBytes: 256 * 1024 });
}
