/**
 * Host canonicalisation under generated spellings: any way of writing an
 * IPv4 address that a URL parser (and so fetch or a socket) accepts comes out
 * as the one dotted quad the rules are compared with, and is classified by
 * the address it is. Fixed seed; PLAYPEN_FUZZ_RUNS for a longer run.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalHost, parseCidr, parseHostPattern, specialRange } from "../../wasm-runtime/policy/hosts.ts";
import { decide, parsePolicy } from "../../wasm-runtime/policy/index.ts";

const RUNS = Number(process.env.PLAYPEN_FUZZ_RUNS ?? 500);
const settings = { seed: Number(process.env.PLAYPEN_FUZZ_SEED ?? 20261207), numRuns: RUNS };

/** A number as a URL host part: decimal, octal (leading 0) or hex (0x, any case), padded or not. */
const spelled = (value: number) =>
  fc.constantFrom("dec", "oct", "hex", "HEX").map((radix) => {
    if (radix === "dec") return String(value);
    if (radix === "oct") return `0${value.toString(8)}`;
    return `${radix === "hex" ? "0x" : "0X"}${radix === "hex" ? value.toString(16) : value.toString(16).toUpperCase()}`;
  });

/** An IPv4 address (four bytes; the first one given or any) and one of its spellings. */
const ipv4Spelling = (first?: number) => fc.tuple(first === undefined ? fc.integer({ min: 0, max: 255 }) : fc.constant(first), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })).chain((bytes) => {
  const [a, b, c, d] = bytes;
  const value = ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
  const hex = (n: number) => n.toString(16);
  const forms: fc.Arbitrary<string>[] = [
    fc.tuple(spelled(a), spelled(b), spelled(c), spelled(d)).map((parts) => parts.join(".")),
    fc.tuple(spelled(a), spelled(b), spelled((c << 8) + d)).map((parts) => parts.join(".")),
    fc.tuple(spelled(a), spelled((b << 16) + (c << 8) + d)).map((parts) => parts.join(".")),
    spelled(value),
    fc.constantFrom(`[::ffff:${a}.${b}.${c}.${d}]`, `[::FFFF:${hex((a << 8) + b)}:${hex((c << 8) + d)}]`, `[0:0:0:0:0:ffff:${hex((a << 8) + b)}:${hex((c << 8) + d)}]`),
  ];
  return fc.tuple(fc.constant(bytes), fc.oneof(...forms), fc.boolean()).map(([address, text, dot]) => ({ address, text: dot && !text.startsWith("[") ? `${text}.` : text }));
});

/** The classification, written from the byte values (an independent statement of the ranges). */
function expectedRange([a, b]: number[]): string | undefined {
  if (a === 0) return "unspecified";
  if (a === 127) return "loopback";
  if (a === 10 || (a === 172 && b! >= 16 && b! <= 31) || (a === 192 && b === 168)) return "private";
  if (a === 100 && b! >= 64 && b! <= 127) return "private (carrier-grade NAT)";
  if (a === 169 && b === 254) return "link-local";
  if (a === 192 && b === 0) return undefined; // 192.0.0.0/24 needs the third byte: checked apart
  if (a === 198 && (b === 18 || b === 19)) return "reserved";
  if (a! >= 224 && a! <= 239) return "multicast";
  if (a! >= 240) return "reserved";
  return undefined;
}

describe("canonical hosts", () => {
  it("every spelling of an IPv4 address comes out as its dotted quad, classified by its bytes", () => {
    fc.assert(
      fc.property(ipv4Spelling(), ({ address, text }) => {
        const dotted = address.join(".");
        expect(canonicalHost(text), text).toBe(dotted);
        if (!(address[0] === 192 && address[1] === 0)) expect(specialRange(dotted), dotted).toBe(expectedRange(address));
      }),
      settings,
    );
  });

  it("a loopback address in any spelling is denied when only * is granted, and allowed by 127.0.0.0/8", () => {
    const star = parsePolicy({ version: 1, network: [{ host: "*" }] });
    const range = parsePolicy({ version: 1, network: [{ host: "127.0.0.0/8" }] });
    fc.assert(
      fc.property(ipv4Spelling(127), ({ text }) => {
        const request = { capability: "network", host: text, port: 80 } as const;
        expect(decide(star, request).decision, text).toBe("deny");
        expect(decide(range, request).decision, text).toBe("allow");
      }),
      settings,
    );
  });

  it("never throws on any text, and what it accepts is a fixed point", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: "binary", maxLength: 40 }), fc.ipV4Extended(), fc.ipV6(), fc.domain()), (text) => {
        const host = canonicalHost(text);
        if (host !== undefined) expect(canonicalHost(host)).toBe(host);
        parseHostPattern(text);
        parseCidr(`${text}/8`);
      }),
      settings,
    );
  });

  it("names IPv6 ranges, and judges NAT64 by the IPv4 address inside", () => {
    expect(["::", "::1", "fd00::1", "fe80::1", "ff02::1", "::7f00:1", "64:ff9b::7f00:1", "64:ff9b::a00:1", "fec0::1"].map((a) => specialRange(canonicalHost(a)!))).toEqual([
      "unspecified",
      "loopback",
      "private",
      "link-local",
      "multicast",
      "reserved (IPv4-compatible)",
      "loopback",
      "private",
      "private (site-local)",
    ]);
    expect(specialRange(canonicalHost("2606:4700::1111")!)).toBeUndefined();
    expect(specialRange(canonicalHost("64:ff9b::808:808")!)).toBeUndefined();
  });

  it("reads CIDR ranges strictly", () => {
    const inRange = parseCidr("10.0.0.0/8") as (address: string) => boolean;
    expect(["10.0.0.0", "10.255.255.255"].map(inRange)).toEqual([true, true]);
    expect(["11.0.0.0", "fd00::1"].map(inRange)).toEqual([false, false]);
    expect((parseCidr("[fd00::]/8") as (a: string) => boolean)("fdff::1")).toBe(true);
    expect(parseCidr("10.0.0.1/8")).toBe("has address bits set past /8: write the first address of the range");
    expect(parseCidr("10.0.0.0/33")).toBe("the prefix length must be at most 32");
    expect(parseCidr("a.com/8")).toBe("a.com is not an IP address");
  });
});
