/** Axis arithmetic for the Compare charts: domains, tick positions and labels. Pure. */

/** A linear or base-10 logarithmic mapping from values to a 0…1 position. */
export interface Scale {
  kind: "linear" | "log";
  domain: [number, number];
  ticks: number[];
  /** 0 at the domain's start, 1 at its end. */
  position(value: number): number;
}

/** Whole decades around the values: 3.2…380 → 1…1000. */
export function logDomain(min: number, max: number): [number, number] {
  if (!(min > 0) || !(max > 0)) throw new Error(`a log scale needs positive values, got ${min}…${max}`);
  const lo = 10 ** Math.floor(Math.log10(min));
  let hi = 10 ** Math.ceil(Math.log10(max));
  if (hi <= lo) hi = lo * 10;
  return [lo, hi];
}

/** Powers of ten across the domain, with 2 and 5 between them when it spans at most two decades. */
export function logTicks([lo, hi]: [number, number]): number[] {
  const decades = Math.round(Math.log10(hi / lo));
  const steps = decades <= 2 ? [1, 2, 5] : [1];
  const ticks: number[] = [];
  for (let power = Math.round(Math.log10(lo)); power <= Math.round(Math.log10(hi)); power++) {
    for (const step of steps) {
      const tick = roundTick(step * 10 ** power);
      if (tick >= lo && tick <= hi) ticks.push(tick);
    }
  }
  return ticks;
}

/** 0 to a round number at or above `max`, ticked in steps of 1, 2 or 5 × 10^n (about `count` of them). */
export function linearTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough)!;
  const ticks: number[] = [];
  for (let i = 0; ; i++) {
    const tick = roundTick(i * step);
    ticks.push(tick);
    if (tick >= max) return ticks;
  }
}

export function logScale(values: number[]): Scale {
  const domain = logDomain(Math.min(...values), Math.max(...values));
  const [lo, hi] = domain;
  return {
    kind: "log",
    domain,
    ticks: logTicks(domain),
    position: (value) => (Math.log10(Math.max(value, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)),
  };
}

/** From 0; `floor` keeps a reference value (the 1× line) on the axis even when every bar is below it. */
export function linearScale(values: number[], floor = 0): Scale {
  const ticks = linearTicks(Math.max(floor, ...values));
  const hi = ticks.at(-1)!;
  return { kind: "linear", domain: [0, hi], ticks, position: (value) => Math.max(0, value) / hi };
}

/** Float noise out of tick values (0.30000000000000004 → 0.3). */
function roundTick(value: number): number {
  return Number(value.toPrecision(12));
}

export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s`;
  if (ms >= 10) return `${Math.round(ms)} ms`;
  return `${ms.toFixed(1)} ms`;
}

export function formatRatio(ratio: number): string {
  return `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(2)}×`;
}

/** Tick labels: 1000 ms → "1 s", 0.5 → "0.5". */
export function formatTick(value: number, unit: "ms" | "×" | ""): string {
  if (unit === "ms") return value >= 1000 ? `${value / 1000} s` : `${value} ms`;
  return `${value}${unit}`;
}
