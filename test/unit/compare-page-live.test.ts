import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { elapsedMs, summarise } from "../../web/compare/browser-engines.ts";
import { overheadFigure, startupBars } from "../../web/compare/figures.ts";
import { mergeLive, type LiveRun } from "../../web/compare/merge.ts";
import { parseCompareResult, type CompareResult } from "../../web/compare/result.ts";
import { parseCompareHash } from "../../web/compare/route.ts";
import { LineSplitter } from "../../web/compare/runner.ts";

const reference: CompareResult = parseCompareResult(JSON.parse(readFileSync(new URL("../fixtures/compare-result.json", import.meta.url), "utf8")));

/** What the runner would send back for `plain` only, 1 sample, no probes. */
function nativePlainOnly(helloMs: number, cpuInnerMs: number): CompareResult {
  return {
    ...reference,
    date: "2026-12-01T10:00:00.000Z",
    host: { ...reference.host, cpu: "Live CPU" },
    settings: { samples: 1, warmup: 1 },
    backends: reference.backends.filter((b) => b.name === "plain"),
    measurements: [
      summarise("plain", "hello", 1, [{ durationMs: helloMs, exitCode: 0, ok: true }]),
      summarise("plain", "cpu", 1, [{ durationMs: cpuInnerMs + 3, innerMs: cpuInnerMs, exitCode: 0, ok: true }]),
    ],
    verdicts: [],
    attackSurface: [],
  };
}

function liveRun(native: CompareResult | undefined): LiveRun {
  const gated = { name: "wasm-gated-chromium", title: "Gated engine (Chromium)", kind: "wasm" as const, engine: "gated" as const, host: "chromium" as const, notes: "", available: true };
  return {
    date: "2026-12-01T10:00:00.000Z",
    samples: 1,
    warmup: 1,
    ...(native && { native }),
    browser: {
      backends: [gated],
      workloads: [{ id: "hello", title: "hello", measures: "start-up", args: [], baseline: "plain" }],
      measurements: [
        summarise("wasm-gated-chromium", "hello", 1, [{ durationMs: 7.5, exitCode: 0, ok: true }]),
        summarise("wasm-gated-chromium", "cpu", 1, [{ durationMs: 250, innerMs: 246, exitCode: 0, ok: true }]),
      ],
    },
    browserHost: { os: "Linux", kernel: "unknown", arch: "unknown", cpu: "browser", cores: 2, memoryMiB: 0 },
  };
}

describe("Compare page: merging a live run with the reference", () => {
  it("charts only what was measured live, with the live host and date", () => {
    const merged = mergeLive(reference, liveRun(nativePlainOnly(4.25, 200)));
    expect(merged.date).toBe("2026-12-01T10:00:00.000Z");
    expect(merged.host.cpu).toBe("Live CPU");
    expect(merged.settings.samples).toBe(1);
    expect(startupBars(merged).map((b) => [b.backend, b.value])).toEqual([
      ["plain", 4.25],
      ["wasm-gated-chromium", 7.5],
    ]);
    // The ratio divides live by live: 246 / 200, not by the reference's plain.
    expect(overheadFigure(merged, "cpu")!.bars.find((b) => b.backend === "wasm-gated-chromium")?.value).toBeCloseTo(1.23, 10);
  });

  it("keeps the reference's verdicts and attack surface for backends not probed live, marked as such", () => {
    const merged = mergeLive(reference, liveRun(nativePlainOnly(4.25, 200)));
    expect(merged.verdicts.length).toBe(reference.verdicts.length);
    expect(merged.verdicts.every((v) => v.origin === "reference")).toBe(true);
    const probed = nativePlainOnly(4.25, 200);
    probed.verdicts = [{ backend: "plain", probe: "read-canary", verdict: "blocked", detail: "live", durationMs: 1 }];
    const withProbe = mergeLive(reference, liveRun(probed));
    expect(withProbe.verdicts.filter((v) => v.backend === "plain")).toEqual([{ ...probed.verdicts[0], origin: "live" }]);
    expect(withProbe.attackSurface.every((a) => a.origin === "reference")).toBe(true);
  });

  it("stands alone without a runner: browser host, no baseline, so no ratios", () => {
    const merged = mergeLive(reference, liveRun(undefined));
    expect(merged.host.cpu).toBe("browser");
    expect(startupBars(merged).map((b) => b.backend)).toEqual(["wasm-gated-chromium"]);
    expect(overheadFigure(merged, "cpu")!.missing).toMatch(/no median of plain/);
    expect(mergeLive(null, liveRun(undefined)).verdicts).toEqual([]);
  });
});

describe("Compare page: in-page measurements", () => {
  it("reads the elapsed_ms line the examples print", () => {
    expect(elapsedMs("iterations: 100\nchecksum: 00ff\nelapsed_ms: 214.7\n")).toBe(214.7);
    expect(elapsedMs("Hello from WASI!\n")).toBeUndefined();
  });

  it("takes medians over the successful samples only", () => {
    const m = summarise("wasm-wasmer-chromium", "cpu", 1, [
      { durationMs: 10, innerMs: 8, exitCode: 0, ok: true },
      { durationMs: 1000, exitCode: 124, ok: false },
      { durationMs: 14, innerMs: 12, exitCode: 0, ok: true },
    ]);
    expect(m).toMatchObject({ medianMs: 12, medianInnerMs: 10, failures: 1 });
  });
});

describe("Compare page: runner stream and URL", () => {
  it("splits NDJSON across chunk boundaries, also inside a multi-byte character", () => {
    const bytes = new TextEncoder().encode('{"type":"log","line":"héllo"}\n{"type":"log","line":"b"}\n{"type":"res');
    const splitter = new LineSplitter();
    const cut = bytes.indexOf(0xc3) + 1; // between the two bytes of é
    expect(splitter.push(bytes.slice(0, cut))).toEqual([]);
    expect(splitter.push(bytes.slice(cut))).toEqual(['{"type":"log","line":"héllo"}', '{"type":"log","line":"b"}']);
    expect(splitter.push(new TextEncoder().encode('ult"}'))).toEqual([]);
    expect(splitter.end()).toEqual(['{"type":"result"}']);
  });

  it("opens the Compare view from #compare and takes the token from it", () => {
    expect(parseCompareHash("#compare")).toEqual({ compare: true });
    expect(parseCompareHash("#compare&token=abc123")).toEqual({ compare: true, token: "abc123" });
    expect(parseCompareHash("#s=abc")).toEqual({ compare: false });
    expect(parseCompareHash("#comparex&token=1")).toEqual({ compare: false });
  });
});
