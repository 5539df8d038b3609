/**
 * The one way a backend's run happens: build its artifacts, give the run an
 * id and (for host-layout backends) a scratch folder, write the plan's files,
 * run its command line under the time limit, then always clean up - also
 * after a timeout or an output flood.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ensureArtifacts } from "./build/artifacts.ts";
import { HOST_SCRATCH, RUNS } from "./paths.ts";
import { runProcess, runQuiet } from "./process.ts";
import { DEFAULT_LIMITS, type Backend, type CommandPlan, type Invocation, type ProcessResult, type RunOptions, type RunResult } from "./types.ts";

/** Matches any run id of newRunId(), to find what any run left behind. */
export const RUN_ID_PATTERN = /playpen-\d+-[0-9a-f]{8}/;

/** Short, unique, and valid as a container name, a cgroup name and a folder name. */
export function newRunId(): string {
  return `playpen-${process.pid}-${randomBytes(4).toString("hex")}`;
}

/** Replaces `{workspace}` in workload arguments with the folder the guest may write. */
export function resolveArgs(args: string[], workspace: string): string[] {
  return args.map((arg) => arg.replaceAll("{workspace}", workspace));
}

/** Runs a plan and removes what it created, whatever happened. */
export async function executePlan(plan: CommandPlan, options: RunOptions): Promise<ProcessResult> {
  for (const file of plan.files) {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.content);
  }
  try {
    return await runProcess(plan.argv, {
      timeoutMs: options.timeoutMs,
      outputLimitBytes: options.outputLimitBytes,
      env: { ...process.env, ...options.hostEnv, ...plan.env },
      cwd: plan.cwd,
      signal: options.signal,
    });
  } finally {
    for (const command of plan.cleanup) await runQuiet(command);
    for (const path of plan.removePaths) rmSync(path, { recursive: true, force: true });
  }
}

/** The common `run()` of backends that need nothing beyond their command plan. */
export async function runBackend(backend: Backend, invocation: Invocation, options: RunOptions): Promise<RunResult> {
  const artifacts = ensureArtifacts();
  const runId = newRunId();
  const runDir = join(RUNS, runId);
  const hostScratch = join(backend.scratchRoot ?? HOST_SCRATCH, runId);
  if (backend.layout === "host") {
    mkdirSync(hostScratch, { recursive: true });
    // Backends that drop to an unprivileged uid must still be able to write it.
    chmodSync(hostScratch, 0o777);
  }
  const plan = backend.command(invocation, { runId, hostScratch, limits: options.limits ?? DEFAULT_LIMITS, artifacts });
  const result = await executePlan({ ...plan, removePaths: [...plan.removePaths, runDir, hostScratch] }, options);
  return { ...result, runId };
}
