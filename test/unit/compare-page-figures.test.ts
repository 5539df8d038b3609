import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { attackSurfaceBars, overheadFigure, ratioOf, scorecard, startupBars, versionsOf } from "../../web/compare/figures.ts";
import { parseCompareResult, type CompareResult, type Measurement } from "../../web/compare/result.ts";

/** A real native run (plain, landlock-seccomp, bubblewrap, runc, crun) with WASM rows, syscall/memory rows and attack surface added by hand. */
const fixture: CompareResult = parseCompareResult(JSON.parse(readFileSync(new URL("../fixtures/compare-result.json", import.meta.url), "utf8")));

function measurement(backend: string, workload: string, medianMs: number | null, medianInnerMs: number | null): Measurement {
  return { backend, workload, warmup: 0, samples: [], medianMs, medianInnerMs, failures: 0 };
}

describe("Compare page: reading a result", () => {
  it("accepts the fixture and names every bad field of a broken document", () => {
    expect(fixture.backends.length).toBeGreaterThan(5);
    const broken = { ...fixture, schema: "playpen-native-compare/1", measurements: [{ backend: "plain" }] };
    expect(() => parseCompareResult(broken)).toThrow(/schema: .*playpen-compare\/2.*measurements\.0\.workload/s);
    expect(() => parseCompareResult("nope", "the reference result")).toThrow(/^the reference result is not a valid playpen-compare\/2 document/);
  });
});

describe("Compare page: start-up chart", () => {
  it("has one bar per available backend with a hello median, in the document's order, WASM rows marked", () => {
    const bars = startupBars(fixture);
    const expected = fixture.backends.filter((b) => b.available && fixture.measurements.some((m) => m.backend === b.name && m.workload === "hello" && m.medianMs !== null));
    expect(bars.map((b) => b.backend)).toEqual(expected.map((b) => b.name));
    expect(bars.find((b) => b.backend === "plain")?.value).toBe(fixture.measurements.find((m) => m.backend === "plain" && m.workload === "hello")!.medianMs);
    expect(bars.filter((b) => b.kind === "wasm").map((b) => b.backend)).toEqual(["wasm-wasmer-node", "wasm-gated-node", "wasm-wasmer-chromium", "wasm-gated-chromium"]);
    // Unavailable backends never get a bar.
    expect(bars.some((b) => b.backend === "apparmor")).toBe(false);
  });

  it("leaves out a backend whose every run failed", () => {
    const failed = { ...fixture, measurements: fixture.measurements.map((m) => (m.backend === "runc" && m.workload === "hello" ? { ...m, medianMs: null } : m)) };
    expect(startupBars(failed).some((b) => b.backend === "runc")).toBe(false);
  });
});

describe("Compare page: overhead ratios", () => {
  it("divides inner times when both sides have one, else wall times, never one by the other", () => {
    expect(ratioOf(measurement("x", "cpu", 300, 240), measurement("plain", "cpu", 200, 160))).toEqual({ value: 1.5, basis: "inner", ms: 240, baselineMs: 160 });
    expect(ratioOf(measurement("x", "cpu", 300, 240), measurement("plain", "cpu", 200, null))).toEqual({ value: 1.5, basis: "wall", ms: 300, baselineMs: 200 });
    expect(ratioOf(measurement("x", "cpu", 300, null), measurement("plain", "cpu", 150, 100))).toEqual({ value: 2, basis: "wall", ms: 300, baselineMs: 150 });
    expect(ratioOf(measurement("x", "cpu", null, null), measurement("plain", "cpu", 150, 100))).toBeNull();
  });

  it("charts each backend's CPU median against plain's, plain itself at exactly 1×", () => {
    const figure = overheadFigure(fixture, "cpu")!;
    expect(figure.baseline).toBe("plain");
    const plain = fixture.measurements.find((m) => m.backend === "plain" && m.workload === "cpu")!;
    const runc = fixture.measurements.find((m) => m.backend === "runc" && m.workload === "cpu")!;
    expect(figure.bars.find((b) => b.backend === "plain")?.value).toBe(1);
    expect(figure.bars.find((b) => b.backend === "runc")?.value).toBeCloseTo(runc.medianInnerMs! / plain.medianInnerMs!, 10);
    expect(figure.missing).toBeUndefined();
  });

  it("says why a workload cannot be charted", () => {
    const withoutPlain = { ...fixture, measurements: fixture.measurements.filter((m) => !(m.backend === "plain" && m.workload === "fileio")) };
    expect(overheadFigure(withoutPlain, "fileio")).toMatchObject({ bars: [], missing: "no median of plain (the baseline) for this workload" });
    expect(overheadFigure(fixture, "python")).toBeNull();
  });
});

describe("Compare page: scorecard and attack surface", () => {
  it("has a row per probed backend and a cell per verdict", () => {
    const { probes, rows } = scorecard(fixture);
    expect(probes.map((p) => p.id)).toContain("read-canary");
    const plain = rows.find((r) => r.backend.name === "plain")!;
    expect(plain.cells.get("read-canary")?.verdict).toBe("allowed");
    expect(rows.find((r) => r.backend.name === "runc")!.cells.get("memory-bomb")?.verdict).toBe("contained");
    expect(rows.map((r) => r.backend.name)).not.toContain("apparmor");
  });

  it("charts counted entry points and keeps uncounted ones as text", () => {
    const { bars, unknown } = attackSurfaceBars(fixture);
    expect(bars.find((b) => b.backend === "wasm-gated-node")).toMatchObject({ value: 45, kind: "wasm" });
    expect(bars.find((b) => b.backend === "runc")?.detail).toMatch(/^302 of 373 Linux system calls: /);
    expect(unknown.map((u) => u.backend)).toEqual(["plain"]);
  });

  it("lists the versions of the backends a figure shows", () => {
    expect(versionsOf(fixture, ["runc", "crun", "nonexistent"])).toBe("runc 1.1.5+ds1 · crun 1.8.1");
  });
});
