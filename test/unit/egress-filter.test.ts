import { Buffer } from "node:buffer";
import { describe, expect, it } from "vitest";
import { EgressFilter } from "../../wasm-runtime/egress/index.ts";

const SECRET = "sk-live-4f9aQ7zR2mX8wK1p";
const filter = new EgressFilter([{ name: "API_KEY", value: SECRET }]);

/** Every spelling the filter must recognise, as the guest would print it. */
export const SPELLINGS: Record<string, (s: string) => string> = {
  plain: (s) => s,
  upper: (s) => s.toUpperCase(),
  lower: (s) => s.toLowerCase(),
  reversed: (s) => [...s].reverse().join(""),
  spaced: (s) => [...s].join(" "),
  "one per line": (s) => [...s].join("\n"),
  dotted: (s) => [...s].join("."),
  hex: (s) => Buffer.from(s).toString("hex"),
  "hex upper": (s) => Buffer.from(s).toString("hex").toUpperCase(),
  "hex spaced": (s) => Buffer.from(s).toString("hex").replace(/../g, "$& "),
  percent: (s) => encodeURIComponent(s),
  "percent every byte": (s) => Buffer.from(s).toString("hex").replace(/../g, "%$&"),
  "base64 align 0": (s) => Buffer.from(s).toString("base64"),
  "base64 align 1": (s) => Buffer.from(`x${s}`).toString("base64"),
  "base64 align 2": (s) => Buffer.from(`xy${s}`).toString("base64"),
  "base64 url": (s) => Buffer.from(`?>${s}`).toString("base64url"),
  "base64 no padding": (s) => Buffer.from(`a${s}`).toString("base64").replace(/=+$/, ""),
  "base64 wrapped": (s) => Buffer.from(`ab${s}`).toString("base64").replace(/.{4}/g, "$&\n"),
  "json unicode escapes": (s) => [...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join(""),
  "json string": (s) => JSON.stringify({ k: s.split("").join("\n") }),
};

describe("the exfiltration filter", () => {
  for (const [name, spell] of Object.entries(SPELLINGS)) {
    it(`recognises and hides the secret ${name}`, () => {
      const text = `before ${spell(SECRET)} after`;
      const { text: shown, findings } = filter.redact(text);
      expect(findings.length, shown).toBeGreaterThan(0);
      expect(findings[0]!.name).toBe("API_KEY");
      expect(shown).toContain("«secret API_KEY»");
      expect(shown).toMatch(/^before /);
      expect(shown).not.toContain(spell(SECRET));
      // No run of the secret's own characters survives (at most the few base64 characters that mix with neighbours).
      expect(shown.replace(/[^A-Za-z0-9]/g, "").toLowerCase()).not.toContain("4f9aq7zr");
    });
  }

  it("catches a secret split across writes and across both streams, and shows each stream its own part", () => {
    const found: string[] = [];
    const streams = filter.streams<"stdout" | "stderr">((f, s) => found.push(`${f.name}:${s}`));
    const shown = { stdout: "", stderr: "" };
    const take = (final: boolean) => {
      const out = streams.take(final);
      shown.stdout += out.stdout ?? "";
      shown.stderr += out.stderr ?? "";
    };
    streams.push("stdout", "hello sk-li");
    take(false);
    expect(shown.stdout).toBe("hello ");
    streams.push("stderr", "ve-4f9a");
    take(false);
    streams.push("stdout", "Q7zR2mX8wK1p bye\n");
    take(true);
    expect(shown.stdout).toBe("hello «secret API_KEY» bye\n");
    expect(shown.stderr).toBe("«secret API_KEY»");
    expect(found).toEqual(["API_KEY:stdout"]);
  });

  it("catches characters alternating between the streams", () => {
    const streams = filter.streams<"stdout" | "stderr">();
    [...SECRET].forEach((c, i) => streams.push(i % 2 ? "stderr" : "stdout", c));
    const out = streams.take(true);
    expect(out.stdout).toBe("«secret API_KEY»");
    expect(out.stderr).toBe("«secret API_KEY»");
  });

  it("holds back only what could still become a secret, and shows it at the end when it did not", () => {
    const streams = filter.streams<"out">();
    streams.push("out", "total: 42\nsk-l");
    expect(streams.take(false).out).toBe("total: 42\n");
    expect(streams.take(true).out).toBe("sk-l");
  });

  it("catches an escape cut in two between writes", () => {
    const streams = filter.streams<"out">();
    const escaped = SPELLINGS["json unicode escapes"]!(SECRET);
    streams.push("out", escaped.slice(0, 40));
    streams.push("out", escaped.slice(40));
    expect(streams.take(true).out).toBe("«secret API_KEY»");
  });

  it("finds short secrets as exact text only, and ignores values too short to mean anything", () => {
    const short = new EgressFilter([
      { name: "PIN", value: "73a1-9" },
      { name: "X", value: "ab" },
    ]);
    expect(short.redact("pin 73a1-9, ab").text).toBe("pin «secret PIN», ab");
    expect(short.redact("7 3 a 1 - 9").findings).toEqual([]);
  });

  it("names decoys as decoys", () => {
    const decoys = new EgressFilter([{ name: "AWS_SECRET_ACCESS_KEY", value: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", decoy: true }]);
    const { text, findings } = decoys.redact("key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    expect(text).toBe("key=«decoy AWS_SECRET_ACCESS_KEY»");
    expect(findings[0]).toMatchObject({ decoy: true, form: "plain" });
  });

  it("redacts binary files byte for byte and text files as text", () => {
    const binary = Uint8Array.from([0, 255, ...Buffer.from(SECRET), 1]);
    const { bytes } = filter.redactBytes(binary);
    expect(Buffer.from(bytes).includes(Buffer.from(SECRET))).toBe(false);
    expect([...bytes.subarray(0, 2)]).toEqual([0, 255]);
    expect(Buffer.from(filter.redactBytes(Buffer.from(`é ${SECRET}`)).bytes).toString()).toBe("é «secret API_KEY»");
  });

  it("leaves text without secrets untouched, byte for byte", () => {
    const text = "Ordinary text: 100% done, \\u00e9 \\n %zz \\q " + "x".repeat(10_000);
    expect(filter.redact(text)).toEqual({ text, findings: [] });
    expect(EgressFilter.NONE.redact(SECRET).text).toBe(SECRET);
  });
});
