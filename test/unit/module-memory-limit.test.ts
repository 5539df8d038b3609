import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { capMemory, inspectModule, pagesOfMiB, setMemoryMaximum, WASM_PAGE_BYTES } from "../../wasm-runtime/module/index.ts";

const hello = new Uint8Array(readFileSync("public/examples/hello.wasm"));

describe("capMemory", () => {
  it("lowers the memory maximum and keeps the module valid", () => {
    const before = inspectModule(hello).memory!;
    const capped = capMemory(hello, before.initialPages + 10);
    const after = inspectModule(capped).memory!;
    expect(after.initialPages).toBe(before.initialPages);
    expect(after.maxPages).toBe(before.initialPages + 10);
    expect(WebAssembly.validate(capped)).toBe(true);
  });

  it("makes growth beyond the cap fail inside the guest", async () => {
    const capped = capMemory(hello, inspectModule(hello).memory!.initialPages + 1);
    const { instance } = await WebAssembly.instantiate(capped, stubImports(capped));
    const memory = instance.exports.memory as WebAssembly.Memory;
    expect(memory.grow(1)).toBeGreaterThan(0);
    expect(() => memory.grow(1)).toThrow(RangeError);
  });

  it("returns the very same bytes when the module is already within the cap", () => {
    const capped = capMemory(hello, inspectModule(hello).memory!.initialPages + 10);
    expect(capMemory(capped, inspectModule(hello).memory!.initialPages + 10)).toBe(capped);
    expect(capMemory(capped, inspectModule(hello).memory!.initialPages + 20)).toBe(capped);
  });

  it("never raises a maximum the module declares", () => {
    const capped = capMemory(hello, inspectModule(hello).memory!.initialPages + 10);
    expect(inspectModule(capMemory(capped, 60_000)).memory!.maxPages).toBe(inspectModule(hello).memory!.initialPages + 10);
  });

  it("rejects a module that needs more than the cap to start, saying how much", () => {
    const pages = inspectModule(hello).memory!.initialPages;
    expect(() => capMemory(hello, pages - 1)).toThrow(/needs \d+ MiB of memory to start, more than the memory limit/);
    expect(WASM_PAGE_BYTES).toBe(65536);
  });
});

describe("setMemoryMaximum", () => {
  it("sets the maximum exactly, raising a lower one, and returns the same bytes when it already is", () => {
    const low = capMemory(hello, inspectModule(hello).memory!.initialPages + 10);
    const raised = setMemoryMaximum(low, pagesOfMiB(512));
    expect(inspectModule(raised).memory!.maxPages).toBe(8192);
    expect(WebAssembly.validate(raised)).toBe(true);
    expect(setMemoryMaximum(raised, pagesOfMiB(512))).toBe(raised);
    expect(inspectModule(setMemoryMaximum(raised, pagesOfMiB(64))).memory!.maxPages).toBe(1024);
  });
});

/** Every import as a function that is never called: enough to instantiate. */
function stubImports(bytes: Uint8Array): WebAssembly.Imports {
  const imports: Record<string, Record<string, () => number>> = {};
  for (const { module, name } of inspectModule(bytes).imports) (imports[module] ??= {})[name] = () => 0;
  return imports;
}
