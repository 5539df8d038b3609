/**
 * Runs each probe once on a backend and judges it, then checks from the host
 * that nothing of the run is left: a leftover container or a runaway still
 * spinning turns the verdict into "allowed", whatever the probe said, and is
 * killed so the next run starts clean.
 */
import { processesMentioning } from "../host-processes.ts";
import { GRANTED_ENV } from "../workloads.ts";
import type { Contender, RunResult, Verdict } from "../types.ts";
import type { Canaries } from "./canaries.ts";
import { PROBE_OUTPUT_LIMIT, type Probe } from "./catalog.ts";
import { describeEnd } from "./verdict.ts";

export interface ProbeOutcome {
  backend: string;
  probe: string;
  verdict: Verdict;
  detail: string;
  durationMs: number;
  /** What was still present after the run (and has been removed since). */
  leftovers: string[];
}

export async function runProbe(backend: Contender, probe: Probe, canaries: Canaries, signal?: AbortSignal): Promise<ProbeOutcome> {
  signal?.throwIfAborted();
  let result: RunResult;
  try {
    result = await backend.run(
      { binary: probe.binary, args: probe.args(canaries), env: GRANTED_ENV },
      { timeoutMs: probe.timeoutMs, hostEnv: canaries.hostEnv, outputLimitBytes: PROBE_OUTPUT_LIMIT, signal },
    );
  } catch (error) {
    return { backend: backend.name, probe: probe.id, verdict: "crashed", detail: `could not run: ${error instanceof Error ? error.message : String(error)}`, durationMs: 0, leftovers: [] };
  }
  let { verdict, detail } = probe.judge(result, canaries);
  const survivors = processesMentioning(canaries.runawayTag);
  const leftovers = [...(await backend.leftovers(result.runId)), ...survivors.map((p) => `process ${p.pid}: ${p.cmdline.slice(0, 200)}`)];
  for (const survivor of survivors) {
    try {
      process.kill(survivor.pid, "SIGKILL");
    } catch {
      // Gone meanwhile.
    }
  }
  if (leftovers.length > 0) {
    verdict = "allowed";
    detail = `still present after the run was stopped: ${leftovers.join("; ")}`;
  }
  return { backend: backend.name, probe: probe.id, verdict, detail: detail || describeEnd(result), durationMs: Math.round(result.durationMs), leftovers };
}

export interface ProbeRunOptions {
  onOutcome?: (outcome: ProbeOutcome) => void;
  signal?: AbortSignal;
}

export async function runProbes(backend: Contender, probes: Probe[], canaries: Canaries, options: ProbeRunOptions = {}): Promise<ProbeOutcome[]> {
  const outcomes: ProbeOutcome[] = [];
  for (const probe of probes) {
    const outcome = await runProbe(backend, probe, canaries, options.signal);
    options.onOutcome?.(outcome);
    outcomes.push(outcome);
  }
  return outcomes;
}
