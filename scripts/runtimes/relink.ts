import { assembleModule, insertSection, payloadOf, readSections, SectionId, Writer, type Section, type SectionPayload } from "../../wasm-runtime/module/binary.ts";
import { ModuleError } from "../../wasm-runtime/module/errors.ts";
import { referenceSites } from "../../wasm-runtime/module/fix-zero-timeout-poll.ts";
import { sectionReader } from "../../wasm-runtime/module/inspect.ts";
import { functionBodies } from "../../wasm-runtime/module/code-bodies.ts";
import { ANY_FUNCTION, valType } from "../../wasm-runtime/module/instructions.ts";

/** A function type: value type bytes (0x7f i32, 0x7e i64, …) of its parameters and results. */
export interface FuncType {
  params: readonly number[];
  results: readonly number[];
}

/** Where the functions and data a new body refers to ended up after the rewrite. */
export interface RelinkedIndices {
  /** A function imported by the rewritten module (kept or added). */
  imported(module: string, name: string): number;
  /** A function the original module exports. */
  exported(name: string): number;
  /** The index of `plan.passiveData[i]` among the data segments. */
  data(i: number): number;
}

export interface RelinkPlan {
  /**
   * Function imports the host need not provide become defined functions that
   * trap, or that return zeros; undefined keeps the import.
   */
  stubImport(module: string, name: string): "trap" | "zero" | undefined;
  /** Function imports to add. */
  addImports?: readonly { module: string; name: string; type: FuncType }[];
  /** Passive data segments to add, for `memory.init` in new bodies. */
  passiveData?: readonly Uint8Array[];
  /**
   * Functions to add and export. `body` encodes the locals and the instructions up
   * to the final `end`, given the new indices.
   */
  addFunctions?: readonly { exportAs: string; type: FuncType; body: (indices: RelinkedIndices) => Uint8Array }[];
  /** Exports to drop (an `_initialize` beside a new `_start`, for instance). */
  removeExports?: readonly string[];
}

const FUNCTION_KIND = 0;
const TRAP_BODY = new Uint8Array([0x00, 0x00, 0x0b]); // no locals; unreachable; end

/**
 * Rewrites a module's function space: imports become trapping stubs, imports and
 * exported functions are added, exports dropped. Imports come first in the function
 * index space, so removing or adding one renumbers every function: every call,
 * `ref.func`, table element, export and start entry is rewritten. The `name`
 * section is dropped (its indices would be stale) and DWARF sections would no
 * longer match the code: strip them first.
 */
export function relink(bytes: Uint8Array, plan: RelinkPlan): Uint8Array<ArrayBuffer> {
  const sections = readSections(bytes);
  const find = (id: number) => sections.find((s) => s.id === id);
  const types = readTypes(bytes, find(SectionId.type));
  const imports = readImportEntries(bytes, find(SectionId.import));
  const functionImports = imports.filter((i) => i.kind === FUNCTION_KIND);
  const functionSection = find(SectionId.function);
  const definedCount = functionSection ? sectionReader(bytes, functionSection).u32() : 0;

  const typeIndex = (type: FuncType): number => {
    const key = typeKey(type);
    let at = types.findIndex((t) => typeKey(t) === key);
    if (at < 0) at = types.push(type) - 1;
    return at;
  };
  const addImports = (plan.addImports ?? []).map((i) => ({ ...i, typeIndex: typeIndex(i.type) }));
  const addFunctions = (plan.addFunctions ?? []).map((f) => ({ ...f, typeIndex: typeIndex(f.type) }));
  const stubbed = functionImports.filter((i) => plan.stubImport(i.module, i.name) !== undefined);
  const keptCount = functionImports.length - stubbed.length;
  const importCount = keptCount + addImports.length;
  const firstStub = importCount + definedCount;
  const firstAdded = firstStub + stubbed.length;

  // old function index -> new one
  const mapping = new Uint32Array(functionImports.length + definedCount);
  let kept = 0;
  let stub = 0;
  functionImports.forEach((entry, i) => {
    mapping[i] = stubbed.includes(entry) ? firstStub + stub++ : kept++;
  });
  for (let i = 0; i < definedCount; i++) mapping[functionImports.length + i] = importCount + i;
  const remap = (old: number) => {
    if (old >= mapping.length) throw new ModuleError("invalid", `malformed WebAssembly module: function index ${old} does not exist`);
    return mapping[old]!;
  };

  const exports = readExports(bytes, find(SectionId.export));
  const dataSection = find(SectionId.data);
  const dataCount = dataSection ? sectionReader(bytes, dataSection).u32() : 0;
  const indices: RelinkedIndices = {
    imported(module, name) {
      const added = addImports.findIndex((i) => i.module === module && i.name === name);
      if (added >= 0) return keptCount + added;
      const old = functionImports.findIndex((i) => i.module === module && i.name === name);
      if (old < 0 || stubbed.includes(functionImports[old]!)) throw new ModuleError("invalid", `no function import ${module}.${name}`);
      return remap(old);
    },
    exported(name) {
      const entry = exports.find((e) => e.name === name && e.kind === FUNCTION_KIND);
      if (!entry) throw new ModuleError("invalid", `the module exports no function named ${name}`);
      return remap(entry.index);
    },
    data: (i) => dataCount + i,
  };

  const replaced = new Map<Section, Uint8Array>();
  for (const section of sections) {
    switch (section.id) {
      case SectionId.start:
      case SectionId.global:
      case SectionId.table:
      case SectionId.element: {
        const sites = referenceSites(bytes, section, ANY_FUNCTION);
        replaced.set(section, withSitesRemapped(bytes, section.contentStart, section.end, sites, remap).finish());
        break;
      }
    }
  }

  const typeOut = new Writer(types.length * 8).u32(types.length);
  for (const t of types) typeOut.u8(0x60).u32(t.params.length).bytes(new Uint8Array(t.params)).u32(t.results.length).bytes(new Uint8Array(t.results));

  const importOut = new Writer(4096).u32(imports.length - stubbed.length + addImports.length);
  for (const entry of imports) if (!stubbed.includes(entry)) importOut.bytes(bytes.subarray(entry.start, entry.end));
  for (const i of addImports) writeName(writeName(importOut, i.module), i.name).u8(FUNCTION_KIND).u32(i.typeIndex);

  const functionOut = new Writer(definedCount * 2 + 64).u32(definedCount + stubbed.length + addFunctions.length);
  if (functionSection) {
    const r = sectionReader(bytes, functionSection);
    r.u32();
    functionOut.bytes(bytes.subarray(r.pos, functionSection.end));
  }
  for (const entry of stubbed) functionOut.u32(entry.typeIndex);
  for (const f of addFunctions) functionOut.u32(f.typeIndex);

  const removed = new Set(plan.removeExports ?? []);
  const keptExports = exports.filter((e) => !removed.has(e.name));
  const exportOut = new Writer(4096).u32(keptExports.length + addFunctions.length);
  for (const e of keptExports) writeName(exportOut, e.name).u8(e.kind).u32(e.kind === FUNCTION_KIND ? remap(e.index) : e.index);
  addFunctions.forEach((f, i) => writeName(exportOut, f.exportAs).u8(FUNCTION_KIND).u32(firstAdded + i));

  const code = find(SectionId.code);
  const codeOut = remapCode(bytes, code, definedCount, remap);
  codeOut.count += stubbed.length + addFunctions.length;
  for (const entry of stubbed) {
    const body = plan.stubImport(entry.module, entry.name) === "trap" ? TRAP_BODY : zeroBody(types[entry.typeIndex]!);
    codeOut.body.u32(body.length).bytes(body);
  }
  for (const f of addFunctions) {
    const body = f.body(indices);
    codeOut.body.u32(body.length).bytes(body);
  }
  const codePayload = new Writer(codeOut.body.length + 8).u32(codeOut.count).bytes(codeOut.body.finish()).finish();

  const passive = plan.passiveData ?? [];
  let out: SectionPayload[] = [];
  for (const s of sections) {
    if (s.name === "name") continue;
    const payload =
      s.id === SectionId.type ? typeOut.finish()
      : s.id === SectionId.import ? importOut.finish()
      : s.id === SectionId.function ? functionOut.finish()
      : s.id === SectionId.export ? exportOut.finish()
      : s.id === SectionId.code ? codePayload
      : s.id === SectionId.data && passive.length > 0 ? withPassiveData(bytes, s, passive)
      : s.id === SectionId.dataCount ? new Writer(8).u32(dataCount + passive.length).finish()
      : (replaced.get(s) ?? payloadOf(bytes, s).payload);
    out.push({ id: s.id, payload });
  }
  const missing = (id: number, payload: () => Uint8Array) => {
    if (!find(id)) out = insertSection(out, { id, payload: payload() });
  };
  missing(SectionId.type, () => typeOut.finish());
  missing(SectionId.import, () => importOut.finish());
  missing(SectionId.function, () => functionOut.finish());
  missing(SectionId.export, () => exportOut.finish());
  missing(SectionId.code, () => codePayload);
  if (passive.length > 0) {
    // memory.init and data.drop are only valid with a data count section.
    missing(SectionId.dataCount, () => new Writer(8).u32(dataCount + passive.length).finish());
    missing(SectionId.data, () => withPassiveData(bytes, undefined, passive));
  }
  return assembleModule(out);
}

interface ImportEntry {
  module: string;
  name: string;
  kind: number;
  typeIndex: number;
  /** The entry's bytes in the import section, copied as they are when kept. */
  start: number;
  end: number;
}

function readImportEntries(bytes: Uint8Array, section: Section | undefined): ImportEntry[] {
  if (!section) return [];
  const r = sectionReader(bytes, section);
  const entries: ImportEntry[] = [];
  for (let n = r.u32(); n > 0; n--) {
    const start = r.pos;
    const module = r.name();
    const name = r.name();
    const kind = r.u8();
    let typeIndex = -1;
    switch (kind) {
      case 0:
        typeIndex = r.u32();
        break;
      case 1: // table: reftype, limits
        valType(r);
        skipLimits(r);
        break;
      case 2:
        skipLimits(r);
        break;
      case 3: // global: valtype, mutability
        valType(r);
        r.u8();
        break;
      case 4: // tag: attribute, type
        r.u8();
        r.u32();
        break;
      default:
        r.fail(`unknown import kind ${kind}`);
    }
    entries.push({ module, name, kind, typeIndex, start, end: r.pos });
  }
  return entries;
}

function skipLimits(r: ReturnType<typeof sectionReader>): void {
  const flags = r.u8();
  r.u64();
  if (flags & 1) r.u64();
  if (flags & 8) r.u32();
}

function readTypes(bytes: Uint8Array, section: Section | undefined): FuncType[] {
  if (!section) return [];
  const r = sectionReader(bytes, section);
  const types: FuncType[] = [];
  for (let n = r.u32(); n > 0; n--) {
    const form = r.u8();
    if (form !== 0x60) r.fail(`unsupported type form 0x${form.toString(16)} (only plain function types can be relinked)`);
    const params = Array.from({ length: r.u32() }, () => plainValType(r));
    const results = Array.from({ length: r.u32() }, () => plainValType(r));
    types.push({ params, results });
  }
  return types;
}

/** Number and vector types only: typed references would need their heap type kept too. */
function plainValType(r: ReturnType<typeof sectionReader>): number {
  const at = r.pos;
  const t = valType(r);
  if (r.pos - at !== 1) r.fail("typed function references cannot be relinked");
  return t;
}

/** No locals; a zero of each result type; end. */
function zeroBody(type: FuncType): Uint8Array {
  const w = new Writer(16).u32(0);
  for (const t of type.results) {
    if (t === 0x7f) w.u8(0x41).u8(0);
    else if (t === 0x7e) w.u8(0x42).u8(0);
    else if (t === 0x7d) w.u8(0x43).bytes(new Uint8Array(4));
    else if (t === 0x7c) w.u8(0x44).bytes(new Uint8Array(8));
    else throw new ModuleError("invalid", `cannot stub an import returning value type 0x${t.toString(16)}`);
  }
  return w.u8(0x0b).finish();
}

function typeKey(t: FuncType): string {
  return `${t.params.join(",")}->${t.results.join(",")}`;
}

function readExports(bytes: Uint8Array, section: Section | undefined): { name: string; kind: number; index: number }[] {
  if (!section) return [];
  const r = sectionReader(bytes, section);
  return Array.from({ length: r.u32() }, () => ({ name: r.name(), kind: r.u8(), index: r.u32() }));
}

function writeName(w: Writer, name: string): Writer {
  const encoded = new TextEncoder().encode(name);
  return w.u32(encoded.length).bytes(encoded);
}

/** Copies bytes[start, end) with each function index at `sites` renumbered (kept at least as wide, as u32 LEB128 allows). */
function withSitesRemapped(bytes: Uint8Array, start: number, end: number, sites: readonly number[], remap: (old: number) => number, out = new Writer(end - start + 16)): Writer {
  let copyFrom = start;
  for (let k = 0; k < sites.length; k += 2) {
    const at = sites[k]!;
    const siteEnd = sites[k + 1]!;
    out.bytes(bytes.subarray(copyFrom, at)).u32(remap(readIndex(bytes, at)), siteEnd - at);
    copyFrom = siteEnd;
  }
  return out.bytes(bytes.subarray(copyFrom, end));
}

function readIndex(bytes: Uint8Array, at: number): number {
  let result = 0;
  for (let shift = 0; ; shift += 7) {
    const b = bytes[at++]!;
    result |= (b & 0x7f) << shift;
    if (b < 0x80) return result >>> 0;
  }
}

/** The code section's bodies with every call and `ref.func` renumbered; bodies whose indices grew get a new size. */
function remapCode(bytes: Uint8Array, code: Section | undefined, definedCount: number, remap: (old: number) => number): { count: number; body: Writer } {
  const out = new Writer(code ? code.end - code.start + 1024 : 64);
  if (!code) return { count: 0, body: out };
  const sites: number[] = [];
  for (const { sizeStart, start, end } of functionBodies(bytes, code, definedCount, ANY_FUNCTION, sites)) {
    if (sites.length === 0) {
      out.bytes(bytes.subarray(sizeStart, end));
      continue;
    }
    const body = withSitesRemapped(bytes, start, end, sites, remap, new Writer(end - start + 16)).finish();
    out.u32(body.length).bytes(body);
  }
  return { count: definedCount, body: out };
}

function withPassiveData(bytes: Uint8Array, section: Section | undefined, segments: readonly Uint8Array[]): Uint8Array {
  const r = section ? sectionReader(bytes, section) : undefined;
  const count = r ? r.u32() : 0;
  const out = new Writer((section ? section.end - section.start : 0) + segments.reduce((n, s) => n + s.length + 8, 8)).u32(count + segments.length);
  if (r && section) out.bytes(bytes.subarray(r.pos, section.end));
  for (const s of segments) out.u32(1).u32(s.length).bytes(s); // flags 1: passive
  return out.finish();
}
