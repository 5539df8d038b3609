/** A set of timings (or ratios) from repeated runs, with the figures the report shows. */
export interface Series {
  /** What one sample measures, e.g. "worker run duration". */
  label: string;
  unit: "ms" | "x";
  samples: number[];
  median: number;
  min: number;
  max: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no samples");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function series(label: string, samples: readonly number[], unit: Series["unit"] = "ms"): Series {
  const rounded = samples.map((v) => round(v, unit === "x" ? 3 : 1));
  return {
    label,
    unit,
    samples: rounded,
    median: round(median(samples), unit === "x" ? 3 : 1),
    min: round(Math.min(...samples), unit === "x" ? 3 : 1),
    max: round(Math.max(...samples), unit === "x" ? 3 : 1),
  };
}

export function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Elapsed milliseconds since a process.hrtime.bigint() reading. */
export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}
