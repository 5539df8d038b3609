/**
 * The WebAssembly side of the comparison in Node: both engines run the WASI
 * builds of the workloads through the same `measureWorkload` as the native
 * backends, and the gated engine's probe verdicts under its default policy
 * are judged by the same catalog rules (the canaries are real: a host file, a
 * listener on 127.0.0.1, a secret in this process's environment).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { measureWorkload } from "../../native/measure.ts";
import { plantCanaries, type Canaries } from "../../native/probes/canaries.ts";
import { PROBES } from "../../native/probes/catalog.ts";
import { runProbe } from "../../native/probes/run-probes.ts";
import type { Verdict } from "../../native/types.ts";
import { createWasmNodeRunner } from "../../native/wasm/node-runner.ts";
import { WORKLOADS } from "../../native/workloads.ts";

const gated = createWasmNodeRunner("gated");
const wasmer = createWasmNodeRunner("wasmer");
let canaries: Canaries;

beforeAll(async () => {
  canaries = await plantCanaries();
});
afterAll(async () => {
  await canaries?.dispose();
  await gated.close?.();
  await wasmer.close?.();
});

const workload = (id: string) => WORKLOADS.find((w) => w.id === id)!;

describe("WebAssembly runners in Node", () => {
  for (const runner of [gated, wasmer]) {
    it(`${runner.name} is available and measures hello and the file I/O workload`, { timeout: 60_000 }, async () => {
      expect(await runner.detect()).toMatchObject({ available: true });
      const hello = await measureWorkload(runner, workload("hello"), { samples: 2, warmup: 1 });
      expect(hello, hello.error).toMatchObject({ runner: runner.name, workload: "hello", failures: 0 });
      expect(hello.medianMs).toBeGreaterThan(0);
      const fileio = await measureWorkload(runner, { ...workload("fileio"), args: ["{workspace}/fileio", "20"] }, { samples: 1, warmup: 0 });
      expect(fileio.failures, fileio.error).toBe(0);
      expect(fileio.medianInnerMs).toBeGreaterThan(0);
    });
  }

  it("runs the Python workload's script as Python in the engine", { timeout: 60_000 }, async () => {
    const python = workload("python");
    const result = await gated.run({ binary: python.binary, args: python.args, env: {} }, { timeoutMs: 60_000 });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^words: 997\ntotal: 266000\nelapsed_ms: [\d.]+\n$/);
  });

  it("reports a run stopped at its time limit as timed out", { timeout: 30_000 }, async () => {
    const result = await wasmer.run({ binary: "probe-cpu-runaway", args: ["60", "tag"], env: {} }, { timeoutMs: 1_000 });
    expect(result).toMatchObject({ timedOut: true, exitCode: null });
  });
});

/** The gated engine under its default policy (Workspace only), in Node. */
const GATED_EXPECTED: Record<string, Verdict> = {
  "read-canary": "blocked", "write-outside": "blocked", "list-processes": "blocked", "loopback-connect": "blocked",
  "env-secret": "blocked", "fork-bomb": "blocked", "memory-bomb": "contained", "cpu-runaway": "contained",
  "output-flood": "contained", "hires-timer": "contained", "kernel-identity": "contained",
};

describe("probe verdicts on the gated engine (Node)", () => {
  it("blocks or contains every probe, with nothing left behind", { timeout: 120_000 }, async () => {
    const verdicts: Record<string, string> = {};
    for (const probe of PROBES) {
      const outcome = await runProbe(gated, probe, canaries);
      verdicts[probe.id] = `${outcome.verdict}: ${outcome.detail}`;
      expect(outcome.leftovers, probe.id).toEqual([]);
    }
    const got = Object.fromEntries(Object.entries(verdicts).map(([id, text]) => [id, text.split(":")[0]]));
    expect(got, JSON.stringify(verdicts, null, 2)).toEqual(GATED_EXPECTED);
    // Denials are the policy's (EACCES), not a missing file; the secret really was in this process's environment.
    expect(verdicts["read-canary"]).toMatch(/Permission denied/);
    expect(verdicts["memory-bomb"]).toMatch(/allocation failed at \d+ MiB/);
  });
});
