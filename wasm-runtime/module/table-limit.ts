import { assembleModule, payloadOf, readSections, SectionId, Writer, type Reader, type Section } from "./binary.ts";
import { ModuleError } from "./errors.ts";
import { readImports, sectionReader } from "./inspect.ts";
import { capMemory } from "./memory-limit.ts";

/**
 * Tables and wasm-GC objects live on the engine's JavaScript heap, outside
 * linear memory and its limit: a module that grows a few tables by millions of
 * entries exhausts V8's heap, which aborts the whole process (a Worker's
 * resourceLimits do not catch it). So, as the memory limit does for memory,
 * every table a module declares gets a maximum, and modules that could still
 * fill the heap are refused before they are compiled.
 */

/** Entries one table may grow to: 8 MiB of heap at 8 bytes a reference. */
export const MAX_TABLE_ENTRIES = 1 << 20;
/** Tables a module may declare or import. */
export const MAX_TABLES = 8;

const FUNCREF = 0x70;
const EXTERNREF = 0x6f;
const FUNC_TYPE = 0x60;

/**
 * Gives every table of the module a maximum of at most MAX_TABLE_ENTRIES, so
 * `table.grow` beyond it fails inside the guest (it returns -1). Refuses, with
 * a ModuleError saying why, a module with more than MAX_TABLES tables, a table
 * that starts beyond the cap, a table type other than funcref/externref, or
 * GC types (structs and arrays are heap objects no limit can bound). A module
 * already within the limits comes back as the very same array.
 */
export function capTables<B extends ArrayBufferLike>(bytes: Uint8Array<B>): Uint8Array<B> | Uint8Array<ArrayBuffer> {
  const sections = readSections(bytes);
  refuseGcTypes(bytes, sections);
  const imported = readImports(bytes, sections).filter((entry) => entry.kind === "table").length;
  const table = sections.find((s) => s.id === SectionId.table);
  if (!table) {
    checkTableCount(imported);
    return bytes;
  }
  const r = sectionReader(bytes, table);
  const count = r.u32();
  checkTableCount(imported + count);
  const out = new Writer(r.end - r.pos + 16).u32(count);
  let changed = false;
  for (let i = 0; i < count; i++) {
    const type = r.u8();
    if (type !== FUNCREF && type !== EXTERNREF) {
      throw new ModuleError("invalid", `cannot limit table ${i} of this module: its element type 0x${type.toString(16)} is not funcref or externref (typed and 64-bit tables are not supported)`);
    }
    const flags = r.u8();
    if (flags !== 0 && flags !== 1) {
      throw new ModuleError("invalid", `cannot limit table ${i} of this module: its limits (flags 0x${flags.toString(16)}) are not a plain 32-bit table's`);
    }
    const initial = r.u32();
    const declaredMax = flags === 1 ? r.u32() : Infinity;
    if (initial > MAX_TABLE_ENTRIES) {
      throw new ModuleError("invalid", `table ${i} of this module starts with ${initial} entries, more than the ${MAX_TABLE_ENTRIES} a table may hold`);
    }
    const max = Math.min(declaredMax, MAX_TABLE_ENTRIES);
    changed ||= max !== declaredMax;
    out.u8(type).u8(1).u32(initial).u32(max);
  }
  if (!changed) return bytes;
  out.bytes(bytes.subarray(r.pos, table.end));
  const payload = out.finish();
  return assembleModule(sections.map((s) => (s === table ? { id: s.id, payload } : payloadOf(bytes, s))));
}

function checkTableCount(count: number): void {
  if (count > MAX_TABLES) {
    throw new ModuleError("invalid", `this module has ${count} tables; at most ${MAX_TABLES} are allowed (tables live on the host's heap, outside the memory limit)`);
  }
}

/** Function types are all a WASI program needs; anything else in the type section is the GC proposal's. */
function refuseGcTypes(bytes: Uint8Array, sections: readonly Section[]): void {
  const types = sections.find((s) => s.id === SectionId.type);
  if (!types) return;
  const r = sectionReader(bytes, types);
  for (let n = r.u32(), i = 0; i < n; i++) {
    const form = r.u8();
    if (form !== FUNC_TYPE) {
      throw new ModuleError("invalid", `this module uses WebAssembly GC types (type ${i} has form 0x${form.toString(16)}): their objects live on the host's heap, outside the memory limit, so it cannot run here`);
    }
    for (let params = r.u32(); params > 0; params--) valueType(r);
    for (let results = r.u32(); results > 0; results--) valueType(r);
  }
}

/** Skips a value type: one byte, or a typed reference (0x63/0x64) with its heap type. */
function valueType(r: Reader): void {
  const type = r.u8();
  if (type === 0x63 || type === 0x64) r.skipLeb();
}

/**
 * Off only in tests of the second line of defence (the daemon's per-run
 * processes), which need a module that really exhausts the heap. A global,
 * not module state: loaders such as tsx may load this file more than once.
 */
export function disableTableLimitForTests(): void {
  (globalThis as TestSwitch).playpenUnboundedTables = true;
}

interface TestSwitch {
  playpenUnboundedTables?: boolean;
}

/** A user's module as it may run: tables bounded (capTables) and memory capped at `maxPages` (capMemory). */
export function limitModule(bytes: Uint8Array, maxPages: number): Uint8Array {
  return capMemory((globalThis as TestSwitch).playpenUnboundedTables ? bytes : capTables(bytes), maxPages);
}
