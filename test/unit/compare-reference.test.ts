/**
 * The committed reference result (public/compare/reference.json, measured on
 * a Debian machine with `npm run compare -- --reference`): it is a valid
 * document, covers every backend, and shows what issue 5 requires of it.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { REFERENCE_RESULT } from "../../native/paths.ts";
import { CompareResult } from "../../native/result-schema.ts";

const reference = CompareResult.parse(JSON.parse(readFileSync(REFERENCE_RESULT, "utf8")));
const WASM = ["wasm-wasmer-node", "wasm-gated-node", "wasm-wasmer-chromium", "wasm-gated-chromium"];
const CONTAINERS = ["runc", "crun", "gvisor", "docker", "docker-gvisor", "podman", "qemu"];

function measurement(backend: string, workload: string) {
  const found = reference.measurements.find((m) => m.backend === backend && m.workload === workload);
  if (!found) throw new Error(`the reference has no ${workload} measurement for ${backend}`);
  return found;
}

describe("the committed reference result", () => {
  it("measured every backend this kind of machine has, with 5 samples, probes and attack surface", () => {
    const available = reference.backends.filter((b) => b.available).map((b) => b.name);
    expect(available).toEqual(expect.arrayContaining(["plain", "landlock-seccomp", "bubblewrap", "firejail", ...CONTAINERS, ...WASM]));
    expect(reference.settings.samples).toBe(5);
    expect(reference.workloads.map((w) => w.id)).toEqual(["hello", "cpu", "fileio", "syscall", "memory", "python"]);
    for (const name of available) {
      expect(reference.verdicts.filter((v) => v.backend === name), name).toHaveLength(reference.probes.length);
      expect(reference.attackSurface.some((a) => a.backend === name), name).toBe(true);
    }
  });

  it("shows the WebAssembly engines' warm start-up (hello) below every container backend's", () => {
    const fastestContainer = Math.min(...CONTAINERS.map((name) => measurement(name, "hello").medianMs!));
    for (const name of WASM) {
      const hello = measurement(name, "hello");
      expect(hello.failures, name).toBe(0);
      expect(hello.medianMs!, name).toBeLessThan(fastestContainer);
    }
  });

  it("shows the WebAssembly engines' CPU-bound overhead within 1.3× of the plain process (the workload's own elapsed_ms)", () => {
    const plain = measurement("plain", "cpu").medianInnerMs!;
    for (const name of WASM) {
      const cpu = measurement(name, "cpu");
      expect(cpu.failures, name).toBe(0);
      expect(cpu.medianInnerMs! / plain, name).toBeLessThanOrEqual(1.3);
    }
  });
});
