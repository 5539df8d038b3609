/**
 * One "Live (this machine, now)" result from the two halves of a live run —
 * the local runner's native result and the WASM engines measured in this
 * page — with the reference filling in only what a live run cannot measure.
 * Speed figures are live only (a ratio never divides a live time by a
 * reference one); verdicts and attack-surface rows of backends the live run
 * did not probe are kept from the reference and marked `origin: "reference"`.
 */
import { RESULT_SCHEMA_ID, type Backend, type CompareResult, type Measurement, type Workload } from "./result.ts";

export interface BrowserRun {
  /** The in-page WASM backends (kind "wasm", host "chromium"). */
  backends: Backend[];
  workloads: Workload[];
  measurements: Measurement[];
}

export interface LiveRun {
  /** When the live run started (ISO 8601). */
  date: string;
  samples: number;
  warmup: number;
  /** The local runner's result; absent when no runner answered. */
  native?: CompareResult;
  browser: BrowserRun;
  /** What the page knows of the machine, used when no runner described it. */
  browserHost: CompareResult["host"];
}

function unionBy<T>(key: (item: T) => string, ...lists: T[][]): T[] {
  const seen = new Map<string, T>();
  for (const list of lists) for (const item of list) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}

/** `reference` is null when the page could not load it: the live result then stands alone. */
export function mergeLive(loaded: CompareResult | null, live: LiveRun): CompareResult {
  const reference = loaded ?? { backends: [], workloads: [], probes: [], verdicts: [], attackSurface: [] };
  const native = live.native;
  const probedLive = new Set(native?.verdicts.map((v) => v.backend));
  const surfacedLive = new Set(native?.attackSurface.map((a) => a.backend));
  const liveBackends = [...(native?.backends ?? []), ...live.browser.backends];
  const measurements: Measurement[] = [...(native?.measurements ?? []), ...live.browser.measurements];
  return {
    schema: RESULT_SCHEMA_ID,
    date: live.date,
    host: native?.host ?? live.browserHost,
    settings: { samples: live.samples, warmup: live.warmup },
    // Reference backends stay listed (their notes, their carried rows) but have no live measurement to chart.
    backends: unionBy((b) => b.name, liveBackends, reference.backends),
    workloads: unionBy((w) => w.id, native?.workloads ?? [], live.browser.workloads, reference.workloads),
    probes: unionBy((p) => p.id, native?.probes ?? [], reference.probes),
    measurements,
    verdicts: [
      ...(native?.verdicts ?? []).map((v) => ({ ...v, origin: "live" as const })),
      ...reference.verdicts.filter((v) => !probedLive.has(v.backend)).map((v) => ({ ...v, origin: "reference" as const })),
    ],
    attackSurface: [
      ...(native?.attackSurface ?? []).map((a) => ({ ...a, origin: "live" as const })),
      ...reference.attackSurface.filter((a) => !surfacedLive.has(a.backend)).map((a) => ({ ...a, origin: "reference" as const })),
    ],
  };
}
