import { describe, expect, it } from "vitest";
import { formatMs, formatRatio, linearScale, linearTicks, logDomain, logScale, logTicks } from "../../web/compare/scale.ts";

describe("Compare page: log scale", () => {
  it("spans whole decades around the values", () => {
    expect(logDomain(3.16, 37.3)).toEqual([1, 100]);
    expect(logDomain(2.1, 3300)).toEqual([1, 10_000]);
    expect(logDomain(0.4, 0.9)).toEqual([0.1, 1]);
    // A value that is itself a power of ten still gets a decade of room.
    expect(logDomain(10, 10)).toEqual([10, 100]);
  });

  it("ticks 1-2-5 over two decades at most, powers of ten beyond", () => {
    expect(logTicks([1, 100])).toEqual([1, 2, 5, 10, 20, 50, 100]);
    expect(logTicks([1, 10_000])).toEqual([1, 10, 100, 1000, 10_000]);
    expect(logTicks([0.1, 1])).toEqual([0.1, 0.2, 0.5, 1]);
  });

  it("places values by their logarithm", () => {
    const scale = logScale([2, 50]);
    expect(scale.domain).toEqual([1, 100]);
    expect(scale.position(1)).toBe(0);
    expect(scale.position(10)).toBeCloseTo(0.5);
    expect(scale.position(100)).toBe(1);
  });

  it("refuses values a log scale cannot show", () => {
    expect(() => logScale([0, 5])).toThrow(/positive values/);
  });
});

describe("Compare page: linear scale", () => {
  it("ticks from 0 in round steps up to a value at or above the maximum", () => {
    expect(linearTicks(1.43)).toEqual([0, 0.5, 1, 1.5]);
    expect(linearTicks(373)).toEqual([0, 100, 200, 300, 400]);
    expect(linearTicks(0.3)).toEqual([0, 0.1, 0.2, 0.3]);
  });

  it("keeps the 1× line on the axis when every ratio is below it", () => {
    const scale = linearScale([0.6, 0.9], 1);
    expect(scale.domain[1]).toBeGreaterThanOrEqual(1);
    expect(scale.position(1)).toBeLessThanOrEqual(1);
  });
});

describe("Compare page: value labels", () => {
  it("writes milliseconds and ratios the way the bars show them", () => {
    expect(formatMs(3.16)).toBe("3.2 ms");
    expect(formatMs(37.33)).toBe("37 ms");
    expect(formatMs(3300)).toBe("3.3 s");
    expect(formatRatio(1.0523)).toBe("1.05×");
    expect(formatRatio(12.4)).toBe("12×");
  });
});
