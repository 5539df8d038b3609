/**
 * Reading a probe's verdict line, and the fallbacks when there is none: a
 * probe that died without saying anything crashed, unless the way it died is
 * itself the containment (killed by a memory limit, stopped at the time limit).
 */
import type { RunResult, Verdict } from "../types.ts";

export interface Judgement {
  verdict: Verdict;
  detail: string;
}

const VERDICT_LINE = /^verdict: (allowed|blocked|contained) ?(.*)$/m;

/** The verdict the probe printed (stdout first, then stderr), if any. */
export function reportedVerdict(result: Pick<RunResult, "stdout" | "stderr">): Judgement | undefined {
  const match = VERDICT_LINE.exec(result.stdout) ?? VERDICT_LINE.exec(result.stderr);
  return match ? { verdict: match[1] as Verdict, detail: match[2] ?? "" } : undefined;
}

/** How the run ended, in words, for a "crashed" detail. */
export function describeEnd(result: RunResult): string {
  const how = result.timedOut
    ? "stopped at the time limit"
    : result.signal
      ? `killed by ${result.signal}`
      : `exit ${result.exitCode}`;
  const said = result.stderr.trim().split("\n").slice(-2).join(" | ");
  return said ? `${how}: ${said.slice(0, 300)}` : `${how}, no output`;
}

/** Killed by SIGKILL, seen directly or as the 137 a container runtime reports for it. */
export function wasKilled(result: RunResult): boolean {
  return !result.timedOut && (result.signal === "SIGKILL" || result.exitCode === 137);
}

export function crashed(result: RunResult): Judgement {
  return { verdict: "crashed", detail: describeEnd(result) };
}
