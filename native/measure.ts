/**
 * Timing workloads, independent of what runs them. A `Runner` is anything
 * that can run an invocation and say how long it took: a native backend here,
 * a WebAssembly engine in the next slice. The same workload list goes through
 * both, so their medians are comparable.
 */
import { GRANTED_ENV, innerMilliseconds, type Workload } from "./workloads.ts";
import type { Invocation, ProcessResult, RunOptions } from "./types.ts";

export interface Runner {
  name: string;
  run(invocation: Invocation, options: RunOptions): Promise<ProcessResult>;
}

export interface Sample {
  /** Wall time of the whole run, start-up included. */
  durationMs: number;
  /** The workload's own elapsed_ms (its work without start-up), when it prints one. */
  innerMs?: number;
  exitCode: number | null;
  ok: boolean;
}

export interface Measurement {
  runner: string;
  workload: string;
  /** Runs before the samples whose times are discarded (caches, image import, first compile). */
  warmup: number;
  samples: Sample[];
  /** Median over successful samples; null when none succeeded. */
  medianMs: number | null;
  medianInnerMs: number | null;
  failures: number;
  /** The last failure, in words. */
  error?: string;
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface MeasureOptions {
  samples: number;
  warmup?: number;
  /** Called after each run, for progress output. */
  onSample?: (workload: Workload, sample: Sample) => void;
  signal?: AbortSignal;
}

export async function measureWorkload(runner: Runner, workload: Workload, options: MeasureOptions): Promise<Measurement> {
  const invocation: Invocation = { binary: workload.binary, args: workload.args, env: GRANTED_ENV, ...(workload.readPaths && { readPaths: workload.readPaths }) };
  const warmup = options.warmup ?? 1;
  const samples: Sample[] = [];
  let error: string | undefined;
  for (let i = 0; i < warmup + options.samples; i++) {
    options.signal?.throwIfAborted();
    let sample: Sample;
    try {
      const result = await runner.run(invocation, { timeoutMs: workload.timeoutMs, signal: options.signal });
      const ok = result.exitCode === 0 && !result.timedOut;
      if (!ok) error = `exit ${result.exitCode}${result.timedOut ? " (time limit)" : ""}: ${result.stderr.trim().slice(-300)}`;
      sample = { durationMs: round(result.durationMs), innerMs: innerMilliseconds(result.stdout), exitCode: result.exitCode, ok };
    } catch (thrown) {
      error = thrown instanceof Error ? thrown.message : String(thrown);
      sample = { durationMs: 0, exitCode: null, ok: false };
    }
    if (i >= warmup) {
      samples.push(sample);
      options.onSample?.(workload, sample);
    }
  }
  const good = samples.filter((s) => s.ok);
  const inner = good.flatMap((s) => (s.innerMs === undefined ? [] : [s.innerMs]));
  return {
    runner: runner.name,
    workload: workload.id,
    warmup,
    samples,
    medianMs: median(good.map((s) => s.durationMs)),
    medianInnerMs: median(inner),
    failures: samples.length - good.length,
    ...(error ? { error } : {}),
  };
}

export async function measureWorkloads(runner: Runner, workloads: Workload[], options: MeasureOptions): Promise<Measurement[]> {
  const results: Measurement[] = [];
  for (const workload of workloads) results.push(await measureWorkload(runner, workload, options));
  return results;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
