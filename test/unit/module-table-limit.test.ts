import { afterAll, describe, expect, it } from "vitest";
import { createNodeEngine } from "../../cli/src/node-engine.ts";
import type { EngineName } from "../../wasm-runtime/index.ts";
import { assembleModule, capTables, MAX_TABLE_ENTRIES, SectionId, Writer } from "../../wasm-runtime/module/index.ts";
import { tableBomb } from "../support/table-bomb.ts";

describe("capTables", () => {
  it("gives every table a maximum, so growing it by millions fails inside the guest", async () => {
    const capped = capTables(tableBomb(4)) as Uint8Array<ArrayBuffer>;
    expect(WebAssembly.validate(capped)).toBe(true);
    let exitCode: number | undefined;
    const { instance } = await WebAssembly.instantiate(capped, {
      wasi_snapshot_preview1: {
        proc_exit: (code: number) => {
          exitCode = code;
          throw new Error("exit");
        },
      },
    });
    expect(() => (instance.exports._start as () => void)()).toThrow("exit");
    expect(exitCode).toBe(42);
  });

  it("refuses a module with more tables than allowed, saying so", () => {
    expect(() => capTables(tableBomb(60))).toThrow(/this module has 60 tables; at most 8 are allowed/);
  });

  it("refuses GC types, whose objects no limit can bound", () => {
    // (type (struct)) — a module using the GC proposal.
    const gc = assembleModule([{ id: SectionId.type, payload: new Uint8Array([0x01, 0x5f, 0x00]) }]);
    expect(() => capTables(gc)).toThrow(/uses WebAssembly GC types/);
  });

  it("refuses a table that starts beyond the cap, and keeps a module already within it as is", () => {
    const big = assembleModule([{ id: SectionId.table, payload: new Writer().u32(1).u8(0x70).u8(0).u32(MAX_TABLE_ENTRIES + 1).finish() }]);
    expect(() => capTables(big)).toThrow(/starts with \d+ entries, more than the \d+ a table may hold/);
    const small = capTables(tableBomb(2));
    expect(capTables(small)).toBe(small);
  });
});

describe.each<EngineName>(["gated", "wasmer"])("the table bomb on the %s engine", (name) => {
  const engine = createNodeEngine(name);
  afterAll(() => engine.close());

  it("runs with bounded tables: the growth fails inside the guest, the host lives", async () => {
    const sandbox = await engine.createSandbox();
    const result = await sandbox.run({ program: { language: "wasm", module: tableBomb(4) }, timeoutMs: 20_000 }).result;
    expect(result.error).toBeUndefined();
    expect(result.exitCode).toBe(42);
  });

  it("refuses 60 tables with a clear reason", async () => {
    const sandbox = await engine.createSandbox();
    const result = await sandbox.run({ program: { language: "wasm", module: tableBomb(60) }, timeoutMs: 20_000 }).result;
    expect(result.reason).toBe("error");
    expect(result.error).toMatch(/60 tables; at most 8 are allowed/);
  });
});
