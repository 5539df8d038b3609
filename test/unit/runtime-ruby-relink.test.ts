import { describe, expect, it } from "vitest";
import { assembleModule, SectionId, Writer } from "../../wasm-runtime/module/index.ts";
import { relink } from "../../scripts/runtimes/relink.ts";

const I32 = 0x7f;

function vec(items: Uint8Array[]): Uint8Array {
  const w = new Writer(64).u32(items.length);
  for (const item of items) w.bytes(item);
  return w.finish();
}
const bytes = (...b: number[]) => new Uint8Array(b);
const name = (s: string) => new Writer(16).u32(s.length).bytes(new TextEncoder().encode(s)).finish();
/** A function body without locals; `sized` prefixes its size, as the code section wants (relink adds it itself). */
const body = (...code: number[]) => bytes(0, ...code);
const sized = (...code: number[]) => new Writer(16).u32(code.length + 1).bytes(body(...code)).finish();

/**
 * Imports env.double (i32→i32), env.boom and host.keep (→i32), numbered 0–2; defines
 * a = double(21) + keep(), b = boom(), c = a through the table (element 0 = a).
 */
function sample(): Uint8Array {
  return assembleModule([
    { id: SectionId.type, payload: vec([bytes(0x60, 1, I32, 1, I32), bytes(0x60, 0, 1, I32)]) },
    {
      id: SectionId.import,
      payload: vec([
        new Writer(16).bytes(name("env")).bytes(name("double")).u8(0).u32(0).finish(),
        new Writer(16).bytes(name("env")).bytes(name("boom")).u8(0).u32(1).finish(),
        new Writer(16).bytes(name("host")).bytes(name("keep")).u8(0).u32(1).finish(),
      ]),
    },
    { id: SectionId.function, payload: vec([bytes(1), bytes(1), bytes(1)]) },
    { id: SectionId.table, payload: vec([bytes(0x70, 0, 1)]) },
    {
      id: SectionId.export,
      payload: vec([new Writer(8).bytes(name("a")).u8(0).u32(3).finish(), new Writer(8).bytes(name("b")).u8(0).u32(4).finish(), new Writer(8).bytes(name("c")).u8(0).u32(5).finish()]),
    },
    { id: SectionId.element, payload: vec([bytes(0, 0x41, 0, 0x0b, 1, 3)]) },
    {
      id: SectionId.code,
      payload: vec([sized(0x41, 21, 0x10, 0, 0x10, 2, 0x6a, 0x0b), sized(0x10, 1, 0x0b), sized(0x41, 0, 0x11, 1, 0, 0x0b)]),
    },
  ]);
}

describe("relink (what turns ruby.wasm's reactor into a command)", () => {
  it("the sample is what it claims before relinking", () => {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(sample() as Uint8Array<ArrayBuffer>), {
      env: { double: (x: number) => 2 * x, boom: () => 1 },
      host: { keep: () => 100 },
    });
    expect((instance.exports.a as () => number)()).toBe(142);
    expect((instance.exports.c as () => number)()).toBe(142);
  });

  it("stubs imports, adds one, renumbers calls, exports and the table, and adds an exported function", () => {
    const relinked = relink(sample(), {
      stubImport: (module, field) => (module !== "env" ? undefined : field === "double" ? "zero" : "trap"),
      addImports: [{ module: "host", name: "seed", type: { params: [], results: [I32] } }],
      // seed() + a(): the indices the body gets must be the new ones.
      addFunctions: [{ exportAs: "start", type: { params: [], results: [I32] }, body: (ix) => body(0x10, ix.imported("host", "seed"), 0x10, ix.exported("a"), 0x6a, 0x0b) }],
      removeExports: ["b"],
    });
    const module = new WebAssembly.Module(relinked as Uint8Array<ArrayBuffer>);
    expect(WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}`)).toEqual(["host.keep", "host.seed"]);
    expect(WebAssembly.Module.exports(module).map((e) => e.name)).toEqual(["a", "c", "start"]);
    const exports = new WebAssembly.Instance(module, { host: { keep: () => 100, seed: () => 7 } }).exports as Record<string, () => number>;
    expect(exports.a!()).toBe(100); // double() now returns 0
    expect(exports.c!()).toBe(100); // the table still holds a
    expect(exports.start!()).toBe(107);
  });

  it("makes a stubbed import trap when asked to", () => {
    const relinked = relink(sample(), { stubImport: (module) => (module === "env" ? "trap" : undefined) });
    const exports = new WebAssembly.Instance(new WebAssembly.Module(relinked as Uint8Array<ArrayBuffer>), { host: { keep: () => 1 } }).exports as Record<string, () => number>;
    expect(() => exports.b!()).toThrow(WebAssembly.RuntimeError);
  });
});
