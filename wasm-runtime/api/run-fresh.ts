import type { Engine, Sandbox } from "../engine/engine.ts";
import { runProgram } from "../shell/index.ts";
import type { RunObserver, RunRequest, RunResult } from "../types.ts";

/** What a caller may do around the run, with the sandbox it ran in (learn mode compares the files before and after). */
export interface FreshRunHooks {
  /** Variables of the sandbox itself (what the policy then lets the guest see of them). */
  env?: Record<string, string>;
  /** Aborting stops the run (its result then has reason "stopped"). */
  signal?: AbortSignal;
  before?: (sandbox: Sandbox) => Promise<void>;
  after?: (sandbox: Sandbox, result: RunResult) => Promise<void>;
}

/**
 * One run in a fresh sandbox of `engine`, closed afterwards: what every run
 * of `playpen run`, the library and the MCP server is. State that lives
 * longer (a session's files) travels in the request (`RunRequest.workspace`)
 * and comes back in the result, so a run can happen in any process.
 */
export async function runFresh(engine: Engine, request: RunRequest, observer: RunObserver = {}, hooks: FreshRunHooks = {}): Promise<RunResult> {
  const sandbox = await engine.createSandbox(hooks.env ? { env: hooks.env } : undefined);
  try {
    await hooks.before?.(sandbox);
    const handle = runProgram(sandbox, request, observer);
    if (hooks.signal?.aborted) handle.stop();
    hooks.signal?.addEventListener("abort", () => handle.stop(), { once: true });
    const result = await handle.result;
    await hooks.after?.(sandbox, result);
    return result;
  } finally {
    await sandbox.close();
  }
}
