/**
 * What each Compare chart shows, computed from a result document: the rows,
 * their values and the words that explain them. Pure, so it is unit-tested
 * without a browser; the chart components only draw what this returns.
 */
import type { AttackSurfaceEntry, Backend, CompareResult, Measurement, Verdict, Workload } from "./result.ts";

export const DEFAULT_BASELINE = "plain";

/** One bar of a chart. */
export interface Bar {
  backend: string;
  label: string;
  kind: Backend["kind"];
  value: number;
  /** Shown on hover: how the value was obtained. */
  detail: string;
}

/** The workloads whose overhead is charted against the baseline, in this order. */
export const RATIO_WORKLOADS = ["cpu", "fileio", "syscall", "memory"] as const;

function backendsByName(result: CompareResult): Map<string, Backend> {
  return new Map(result.backends.map((b) => [b.name, b]));
}

function measurementOf(result: CompareResult, backend: string, workload: string): Measurement | undefined {
  return result.measurements.find((m) => m.backend === backend && m.workload === workload);
}

function okSamples(m: Measurement): number {
  return m.samples.filter((s) => s.ok).length;
}

/** Available backends in the document's order (baseline first, then lightest to heaviest). */
function chartedBackends(result: CompareResult): Backend[] {
  return result.backends.filter((b) => b.available);
}

/** Start-up latency: the hello workload's median wall time, per backend that has one. */
export function startupBars(result: CompareResult): Bar[] {
  return chartedBackends(result).flatMap((b) => {
    const m = measurementOf(result, b.name, "hello");
    if (!m || m.medianMs === null || !(m.medianMs > 0)) return [];
    return [{ backend: b.name, label: b.title, kind: b.kind, value: m.medianMs, detail: `median wall time of ${okSamples(m)} successful run(s) of ${m.samples.length}` }];
  });
}

/** What a ratio divides: the workload's own timing when both sides print one, else wall time for both. */
export type RatioBasis = "inner" | "wall";

export interface Ratio {
  value: number;
  basis: RatioBasis;
  ms: number;
  baselineMs: number;
}

/** `m` relative to `baseline`; never mixes an inner time with a wall time. */
export function ratioOf(m: Measurement, baseline: Measurement): Ratio | null {
  if (m.medianInnerMs !== null && baseline.medianInnerMs !== null && baseline.medianInnerMs > 0) {
    return { value: m.medianInnerMs / baseline.medianInnerMs, basis: "inner", ms: m.medianInnerMs, baselineMs: baseline.medianInnerMs };
  }
  if (m.medianMs !== null && baseline.medianMs !== null && baseline.medianMs > 0) {
    return { value: m.medianMs / baseline.medianMs, basis: "wall", ms: m.medianMs, baselineMs: baseline.medianMs };
  }
  return null;
}

export interface RatioFigure {
  workload: Workload;
  baseline: string;
  bars: Bar[];
  /** Why the chart is empty, when it is. */
  missing?: string;
}

/** Overhead of every backend on one workload relative to its baseline (the plain process). */
export function overheadFigure(result: CompareResult, workloadId: string): RatioFigure | null {
  const workload = result.workloads.find((w) => w.id === workloadId);
  if (!workload) return null;
  const baseline = workload.baseline ?? DEFAULT_BASELINE;
  const base = measurementOf(result, baseline, workload.id);
  if (!base || (base.medianMs === null && base.medianInnerMs === null)) {
    return { workload, baseline, bars: [], missing: `no median of ${baseline} (the baseline) for this workload` };
  }
  const bars = chartedBackends(result).flatMap((b): Bar[] => {
    const m = measurementOf(result, b.name, workload.id);
    const ratio = m && ratioOf(m, base);
    if (!m || !ratio) return [];
    const what = ratio.basis === "inner" ? "the workload's own elapsed_ms" : "wall time";
    return [
      {
        backend: b.name,
        label: b.title,
        kind: b.kind,
        value: ratio.value,
        detail: `${what}: median ${ratio.ms} ms vs ${ratio.baselineMs} ms on ${baseline}, ${okSamples(m)} successful run(s) of ${m.samples.length}`,
      },
    ];
  });
  return { workload, baseline, bars, ...(bars.length <= 1 && { missing: "no other backend measured this workload" }) };
}

export interface ScoreRow {
  backend: Backend;
  cells: Map<string, Verdict>;
}

/** The scorecard: one row per backend with any verdict, one column per probe. */
export function scorecard(result: CompareResult): { probes: CompareResult["probes"]; rows: ScoreRow[] } {
  const byName = backendsByName(result);
  const rows: ScoreRow[] = [];
  for (const backend of result.backends) {
    const verdicts = result.verdicts.filter((v) => v.backend === backend.name);
    if (verdicts.length > 0) rows.push({ backend, cells: new Map(verdicts.map((v) => [v.probe, v])) });
  }
  // Verdicts of a backend the document does not describe still show, under their own name.
  for (const name of new Set(result.verdicts.map((v) => v.backend))) {
    if (!byName.has(name)) {
      const verdicts = result.verdicts.filter((v) => v.backend === name);
      rows.push({ backend: { name, title: name, kind: "native", notes: "", available: true }, cells: new Map(verdicts.map((v) => [v.probe, v])) });
    }
  }
  return { probes: result.probes, rows };
}

export interface SurfaceBar extends Bar {
  entry: AttackSurfaceEntry;
}

/** The host interface each backend's guest can call; an unknown count has no bar, only its detail. */
export function attackSurfaceBars(result: CompareResult): { bars: SurfaceBar[]; unknown: AttackSurfaceEntry[] } {
  const byName = backendsByName(result);
  const bars: SurfaceBar[] = [];
  const unknown: AttackSurfaceEntry[] = [];
  for (const entry of result.attackSurface) {
    const backend = byName.get(entry.backend);
    if (entry.count === null) {
      unknown.push(entry);
      continue;
    }
    const of = entry.of === null ? "" : ` of ${entry.of}`;
    bars.push({
      backend: entry.backend,
      label: backend?.title ?? entry.backend,
      kind: backend?.kind ?? "native",
      value: entry.count,
      detail: `${entry.count}${of} ${INTERFACE_WORDS[entry.interface]}: ${entry.detail}`,
      entry,
    });
  }
  return { bars, unknown };
}

export const INTERFACE_WORDS: Record<AttackSurfaceEntry["interface"], string> = {
  "wasi-imports": "WASI imports",
  syscalls: "Linux system calls",
  "virtual-devices": "virtual devices",
};

/** "AMD EPYC, 2 cores, Debian GNU/Linux 12, kernel 6.18.44, 27 Nov 2026 01:04 UTC": where and when. */
export function measuredWhere(result: CompareResult): string {
  const { host } = result;
  const date = new Date(result.date);
  const when = Number.isNaN(date.getTime()) ? result.date : `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return `${host.cpu}, ${host.cores} cores, ${host.os}, kernel ${host.kernel} (${host.arch}), ${when}`;
}

/** "median of 3 samples after 1 warm-up run". */
export function samplesWords(result: CompareResult): string {
  const { samples, warmup } = result.settings;
  return `median of ${samples} sample${samples === 1 ? "" : "s"} after ${warmup} warm-up run${warmup === 1 ? "" : "s"}`;
}

/** "runc 1.1.5+ds1 · crun 1.8.1 …" for the backends the figure shows. */
export function versionsOf(result: CompareResult, names: readonly string[]): string {
  const byName = backendsByName(result);
  return names
    .map((name) => byName.get(name))
    .filter((b): b is Backend => b?.version !== undefined)
    .map((b) => `${b.name} ${b.version}`)
    .join(" · ");
}
