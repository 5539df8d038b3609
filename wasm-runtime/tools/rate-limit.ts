import { rateLimitRule } from "../policy/index.ts";

/**
 * Tool calls of one sandbox in the last second and minute, for
 * `limits.hostCallsPerSecond` (all tools together) and `tools[].perMinute`
 * (per tool). Kept by the sandbox, across runs: a guest cannot reset a limit
 * by starting again. Only allowed calls count, and a tool's calls only while
 * a perMinute applies to it, so no list outgrows its limit.
 */
export class RateLimits {
  readonly #all: number[] = [];
  readonly #perTool = new Map<string, number[]>();

  /** The rule refusing one more call of `tool` at `now` (ms, monotonic), or undefined when it fits. */
  refusal(tool: string, perMinute: number | undefined, perSecond: number, now: number): string | undefined {
    if (recent(this.#all, now - 1000) >= perSecond) return rateLimitRule(perSecond, "s");
    const calls = this.#perTool.get(tool);
    if (perMinute !== undefined && calls && recent(calls, now - 60_000) >= perMinute) return rateLimitRule(perMinute, "min");
    return undefined;
  }

  record(tool: string, perMinute: number | undefined, now: number): void {
    this.#all.push(now);
    if (perMinute === undefined) return;
    let calls = this.#perTool.get(tool);
    if (!calls) this.#perTool.set(tool, (calls = []));
    calls.push(now);
  }
}

/** Drops the times at or before `since` (they are in order) and counts the rest. */
function recent(times: number[], since: number): number {
  let stale = 0;
  while (stale < times.length && times[stale]! <= since) stale++;
  times.splice(0, stale);
  return times.length;
}
