/**
 * The comparison: detects every backend (native isolation, and Playpen's
 * engines in Node and Chromium), times each workload on each available one
 * (median of N after a warm-up), runs each containment probe once per
 * backend, counts each one's attack surface, and writes one JSON document
 * with its schema beside it.
 *
 * Usage: npx tsx native/compare.ts [--samples 5] [--warmup 1] [--backends plain,runc,wasm-gated-node]
 *                                  [--workloads hello] [--no-probes] [--out build/compare/result.json]
 *                                  [--reference]   (also copies the result to public/compare/reference.json)
 *        npx tsx native/compare.ts --write-schema   (regenerates native/compare-result.schema.json)
 */
import { copyFileSync, mkdirSync, realpathSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { attackSurface } from "./attack-surface.ts";
import { ensureArtifacts } from "./build/artifacts.ts";
import { describeHost } from "./host.ts";
import { measureWorkloads, type Measurement } from "./measure.ts";
import { COMPARE_OUT, REFERENCE_RESULT, ROOT } from "./paths.ts";
import { plantCanaries } from "./probes/canaries.ts";
import { PROBE_OUTPUT_LIMIT, PROBES } from "./probes/catalog.ts";
import { runProbes, type ProbeOutcome } from "./probes/run-probes.ts";
import { CompareResult, compareResultJsonSchema, SCHEMA_ID } from "./result-schema.ts";
import { DEFAULT_LIMITS, isWasm, type Contender, type Detection } from "./types.ts";
import { WORKLOADS } from "./workloads.ts";

/** What ratios in the result are taken against. */
export const BASELINE = "plain";

export interface CompareOptions {
  samples: number;
  warmup: number;
  /** Backend names to include; all when absent. */
  backends?: string[];
  /** Workload ids to include; all when absent. */
  workloads?: string[];
  probes: boolean;
  log?: (line: string) => void;
  /** Stops the comparison: in-flight runs are stopped and cleaned up, daemons stopped. */
  signal?: AbortSignal;
  /** Where the backends come from: native/contenders.ts's allContenders for everything, allBackends for the native ones. */
  contenders: () => Contender[];
}

export async function compare(options: CompareOptions): Promise<CompareResult> {
  const log = options.log ?? (() => {});
  const started = new Date();
  const startedMs = performance.now();
  ensureArtifacts();

  const backends = options.contenders().filter((b) => !options.backends || options.backends.includes(b.name));
  const workloads = WORKLOADS.filter((w) => !options.workloads || options.workloads.includes(w.id));
  const detections = new Map<Contender, Detection>();
  for (const backend of backends) {
    const detection = await backend.detect();
    detections.set(backend, detection);
    log(`${backend.name.padEnd(18)} ${detection.available ? `available  ${detection.version}` : `skipped    ${detection.reason}`}`);
  }

  const measurements: Measurement[] = [];
  const verdicts: ProbeOutcome[] = [];
  const canaries = options.probes ? await plantCanaries() : undefined;
  try {
    for (const backend of backends) {
      if (!detections.get(backend)?.available) continue;
      const timing = { samples: options.samples, warmup: options.warmup, signal: options.signal };
      for (const m of await measureWorkloads(backend, workloads, timing)) {
        measurements.push(m);
        log(`${backend.name.padEnd(18)} ${m.workload.padEnd(14)} median ${m.medianMs?.toFixed(1) ?? "-"} ms` + (m.failures ? `  (${m.failures} failed: ${m.error})` : ""));
      }
      if (canaries) {
        const onOutcome = (o: ProbeOutcome) => log(`${backend.name.padEnd(18)} ${o.probe.padEnd(16)} ${o.verdict.padEnd(9)} ${o.detail}`);
        verdicts.push(...(await runProbes(backend, PROBES, canaries, { onOutcome, signal: options.signal })));
      }
    }
  } finally {
    for (const backend of backends) await backend.close?.();
    await canaries?.dispose();
  }

  return CompareResult.parse({
    schema: SCHEMA_ID,
    date: started.toISOString(),
    durationMs: Math.round(performance.now() - startedMs),
    host: describeHost(),
    settings: { samples: options.samples, warmup: options.warmup, limits: DEFAULT_LIMITS, probeOutputLimitBytes: PROBE_OUTPUT_LIMIT },
    backends: backends.map((b) => {
      const d = detections.get(b)!;
      const kind = isWasm(b) ? { kind: "wasm" as const, engine: b.engine, host: b.host } : { kind: "native" as const };
      return { name: b.name, title: b.title, ...kind, notes: b.notes, available: d.available, ...(d.available ? { version: d.version } : { reason: d.reason }) };
    }),
    workloads: workloads.map((w) => ({ id: w.id, title: w.title, measures: w.measures, source: relative(ROOT, w.source), args: w.args, baseline: BASELINE })),
    probes: options.probes ? PROBES.map((p) => ({ id: p.id, title: p.title, risk: p.risk, source: relative(ROOT, p.source) })) : [],
    measurements: measurements.map(({ runner, ...rest }) => ({ backend: runner, ...rest })),
    verdicts,
    attackSurface: attackSurface(backends),
  });
}

/** The committed copy of the JSON Schema; a unit test keeps it equal to the zod definition. */
export const PUBLISHED_SCHEMA = join(ROOT, "native/compare-result.schema.json");

function schemaText(): string {
  return `${JSON.stringify(compareResultJsonSchema(), null, 2)}\n`;
}

/** Writes the document and its JSON Schema beside it (same name, .schema.json); returns the schema's path. */
export function writeResult(result: CompareResult, out: string): string {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  const schemaPath = `${out.replace(/\.json$/, "")}.schema.json`;
  writeFileSync(schemaPath, schemaText());
  return schemaPath;
}

function list(value: string | undefined): string[] | undefined {
  return value ? value.split(",").map((s) => s.trim()).filter(Boolean) : undefined;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      samples: { type: "string", default: "5" },
      warmup: { type: "string", default: "1" },
      backends: { type: "string" },
      workloads: { type: "string" },
      "no-probes": { type: "boolean", default: false },
      out: { type: "string", default: join(COMPARE_OUT, "result.json") },
      reference: { type: "boolean", default: false },
      "write-schema": { type: "boolean", default: false },
    },
  });
  if (values["write-schema"]) {
    writeFileSync(PUBLISHED_SCHEMA, schemaText());
    process.stderr.write(`wrote ${relative(process.cwd(), PUBLISHED_SCHEMA)}\n`);
    return;
  }
  // Ctrl-C stops the run in progress and still removes its containers and stops dockerd.
  const stop = new AbortController();
  for (const name of ["SIGINT", "SIGTERM"] as const) process.once(name, () => stop.abort(new Error(`interrupted by ${name}`)));
  // Loaded here, not at the top: the local runner server imports this module and runs native backends only.
  const { allContenders } = await import("./contenders.ts");
  const result = await compare({
    contenders: allContenders,
    samples: Number(values.samples),
    warmup: Number(values.warmup),
    backends: list(values.backends),
    workloads: list(values.workloads),
    probes: !values["no-probes"],
    log: (line) => process.stderr.write(`${line}\n`),
    signal: stop.signal,
  });
  const schemaPath = writeResult(result, values.out);
  process.stderr.write(`wrote ${relative(process.cwd(), values.out)} and ${relative(process.cwd(), schemaPath)}\n`);
  if (values.reference) {
    mkdirSync(dirname(REFERENCE_RESULT), { recursive: true });
    copyFileSync(values.out, REFERENCE_RESULT);
    process.stderr.write(`copied it to ${relative(process.cwd(), REFERENCE_RESULT)}\n`);
  }
}

function isMain(): boolean {
  const entry = process.argv[1];
  return entry !== undefined && realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
}

if (isMain()) {
  main().catch((error: unknown) => {
    process.stderr.write(`compare: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
