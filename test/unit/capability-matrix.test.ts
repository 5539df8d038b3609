import { describe, expect, it } from "vitest";
import { CAPABILITY_MATRIX, unenforceable } from "../../wasm-runtime/engine/capability-matrix.ts";
import { DEFAULT_POLICY, parsePolicy, PRESETS } from "../../wasm-runtime/policy/index.ts";

describe("what each engine can enforce", () => {
  it("the gated engine enforces every preset; the Wasmer engine only the workspace ones", () => {
    for (const preset of PRESETS) expect(unenforceable("gated", preset.policy)).toEqual([]);
    expect(unenforceable("wasmer", DEFAULT_POLICY)).toEqual([]);
    expect(unenforceable("wasmer", PRESETS.find((p) => p.id === "no-network")!.policy)).toEqual([]);
    expect(unenforceable("wasmer", PRESETS.find((p) => p.id === "open")!.policy)).toEqual(["network grants (the Wasmer engine runs with networking off)", "host tools"]);
  });

  it("names each part the Wasmer engine cannot enforce", () => {
    const policy = parsePolicy({
      version: 1,
      files: [{ path: "/workspace/**", access: "write" }, { path: "/workspace/keys/**", access: "none" }],
      clock: { resolutionMs: 100 },
      random: { seed: 7 },
      limits: { workspaceBytes: 1024 },
    });
    expect(unenforceable("wasmer", policy)).toEqual([
      "file rules other than read-write /workspace (per-path deny, read-only or ask)",
      "a coarsened clock",
      "seeded randomness",
    ]);
  });

  it("states every capability for both engines", () => {
    for (const row of CAPABILITY_MATRIX) {
      expect(Object.keys(row.engines).sort()).toEqual(["gated", "wasmer"]);
      for (const cell of Object.values(row.engines)) expect(cell.how.length).toBeGreaterThan(10);
    }
  });
});
