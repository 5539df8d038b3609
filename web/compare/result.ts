/**
 * The comparison result document as the page reads it: a browser-safe zod
 * schema of the fields the Compare page uses, with the same names as
 * native/result-schema.ts (which is Node code the page must not import).
 * Unknown fields are ignored, so the runner may add more without breaking it.
 */
import { z } from "zod";

export const RESULT_SCHEMA_ID = "playpen-compare/2";

export const VERDICTS = ["blocked", "contained", "allowed", "crashed"] as const;
export type VerdictWord = (typeof VERDICTS)[number];

/**
 * Where a row of a live result came from: measured in this live run, or kept
 * from the reference result because the live run did not measure it.
 */
export type Origin = "live" | "reference";

const origin = z.enum(["live", "reference"]).optional();

const backend = z.object({
  name: z.string(),
  title: z.string(),
  kind: z.enum(["native", "wasm"]),
  engine: z.enum(["wasmer", "gated"]).optional(),
  host: z.enum(["node", "chromium"]).optional(),
  notes: z.string(),
  available: z.boolean(),
  version: z.string().optional(),
  reason: z.string().optional(),
});

const sample = z.object({ durationMs: z.number(), innerMs: z.number().optional(), exitCode: z.number().nullable(), ok: z.boolean() });

const measurement = z.object({
  backend: z.string(),
  workload: z.string(),
  warmup: z.number(),
  samples: z.array(sample),
  medianMs: z.number().nullable(),
  medianInnerMs: z.number().nullable(),
  failures: z.number(),
  error: z.string().optional(),
});

const verdict = z.object({
  backend: z.string(),
  probe: z.string(),
  verdict: z.enum(VERDICTS),
  detail: z.string(),
  durationMs: z.number(),
  origin,
});

const attackSurface = z.object({
  backend: z.string(),
  interface: z.enum(["wasi-imports", "syscalls", "virtual-devices"]),
  count: z.number().nullable(),
  of: z.number().nullable(),
  detail: z.string(),
  origin,
});

export const CompareResult = z.object({
  schema: z.literal(RESULT_SCHEMA_ID),
  date: z.string(),
  host: z.object({
    os: z.string(),
    kernel: z.string(),
    arch: z.string(),
    cpu: z.string(),
    cores: z.number(),
    memoryMiB: z.number(),
  }),
  settings: z.object({ samples: z.number(), warmup: z.number() }),
  backends: z.array(backend),
  workloads: z.array(z.object({ id: z.string(), title: z.string(), measures: z.string(), args: z.array(z.string()), baseline: z.string().optional() })),
  probes: z.array(z.object({ id: z.string(), title: z.string(), risk: z.string() })),
  measurements: z.array(measurement),
  verdicts: z.array(verdict),
  attackSurface: z.array(attackSurface).default([]),
});

export type CompareResult = z.infer<typeof CompareResult>;
export type Backend = CompareResult["backends"][number];
export type Measurement = CompareResult["measurements"][number];
export type Sample = Measurement["samples"][number];
export type Verdict = CompareResult["verdicts"][number];
export type AttackSurfaceEntry = CompareResult["attackSurface"][number];
export type Workload = CompareResult["workloads"][number];

/** Validates a result document; the error names each bad field and why. */
export function parseCompareResult(json: unknown, what = "the comparison result"): CompareResult {
  const parsed = CompareResult.safeParse(json);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
  const more = parsed.error.issues.length > 5 ? ` (and ${parsed.error.issues.length - 5} more)` : "";
  throw new Error(`${what} is not a valid ${RESULT_SCHEMA_ID} document: ${issues.join("; ")}${more}`);
}

/** Fetches and validates the committed reference result served with the page. */
export async function loadReference(signal?: AbortSignal): Promise<CompareResult> {
  const url = `${import.meta.env.BASE_URL}compare/reference.json`;
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error(`could not load the reference result ${url}: HTTP ${response.status}`);
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new Error(`the reference result ${url} is not JSON`);
  }
  return parseCompareResult(json, `the reference result ${url}`);
}
