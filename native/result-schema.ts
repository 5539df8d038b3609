/**
 * The result document `compare.ts` writes, as a zod schema: the single
 * definition from which the TypeScript type and the published JSON Schema
 * (native/compare-result.schema.json) are both derived.
 */
import { z } from "zod";

const verdict = z.enum(["blocked", "allowed", "contained", "crashed"]);

export const SCHEMA_ID = "playpen-compare/2";

export const CompareResult = z
  .object({
    schema: z.literal(SCHEMA_ID),
    date: z.string().describe("ISO 8601 time the run started"),
    durationMs: z.number().describe("wall time of the whole comparison"),
    host: z.object({
      os: z.string(),
      kernel: z.string(),
      kernelVersion: z.string(),
      arch: z.string(),
      cpu: z.string(),
      cores: z.number().int(),
      memoryMiB: z.number().int(),
      cgroups: z.enum(["v1", "v2", "hybrid", "none"]),
      kvmDevice: z.boolean(),
      node: z.string(),
    }),
    settings: z.object({
      samples: z.number().int().describe("timed runs per workload and backend; medians are over the successful ones"),
      warmup: z.number().int().describe("untimed runs before the samples"),
      limits: z.object({ memoryMiB: z.number(), pids: z.number() }),
      probeOutputLimitBytes: z.number().int(),
    }),
    backends: z.array(
      z.object({
        name: z.string(),
        title: z.string(),
        kind: z.enum(["native", "wasm"]).describe("a native isolation backend, or a Playpen WebAssembly engine"),
        engine: z.enum(["wasmer", "gated"]).optional().describe("wasm backends: which engine"),
        host: z.enum(["node", "chromium"]).optional().describe("wasm backends: where the engine ran"),
        notes: z.string(),
        available: z.boolean(),
        version: z.string().optional().describe("present when available"),
        reason: z.string().optional().describe("why the backend was skipped, when unavailable"),
      }),
    ),
    workloads: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        measures: z.string(),
        source: z.string().describe("path relative to the repository"),
        args: z.array(z.string()),
        baseline: z.string().optional().describe("the backend ratios are taken against (plain)"),
      }),
    ),
    probes: z.array(z.object({ id: z.string(), title: z.string(), risk: z.string(), source: z.string() })),
    measurements: z.array(
      z.object({
        backend: z.string(),
        workload: z.string(),
        warmup: z.number().int(),
        samples: z.array(
          z.object({ durationMs: z.number(), innerMs: z.number().optional(), exitCode: z.number().int().nullable(), ok: z.boolean() }),
        ),
        medianMs: z.number().nullable().describe("median wall time, start-up included"),
        medianInnerMs: z.number().nullable().describe("median of the workload's own elapsed_ms"),
        failures: z.number().int(),
        error: z.string().optional(),
      }),
    ),
    verdicts: z.array(
      z.object({
        backend: z.string(),
        probe: z.string(),
        verdict,
        detail: z.string(),
        durationMs: z.number(),
        leftovers: z.array(z.string()),
      }),
    ),
    attackSurface: z.array(
      z.object({
        backend: z.string(),
        interface: z.enum(["wasi-imports", "syscalls", "virtual-devices"]),
        count: z.number().int().nullable().describe("entry points of the host the guest can call; null when unknown"),
        of: z.number().int().nullable().describe("the whole of that interface (46 WASI preview1 calls, the kernel's system calls); null when unknown"),
        detail: z.string(),
      }),
    ),
  })
  .describe("Native isolation backends and Playpen's WebAssembly engines compared on the same workloads and containment probes");

export type CompareResult = z.infer<typeof CompareResult>;

export function compareResultJsonSchema(): unknown {
  return z.toJSONSchema(CompareResult);
}
