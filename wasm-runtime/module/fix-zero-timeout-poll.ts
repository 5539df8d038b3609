import {
  assembleModule,
  insertSection,
  payloadOf,
  Reader,
  readSections,
  SectionId,
  u32LebLength,
  Writer,
  type Section,
  type SectionPayload,
} from "./binary.ts";
import { ModuleError } from "./errors.ts";
import { readImports, readModuleInfo, sectionReader } from "./inspect.ts";
import { functionBodies } from "./code-bodies.ts";
import { ANY_FUNCTION, scanExpression, valType } from "./instructions.ts";

/** Shows up in stack traces through the `name` section. */
const WRAPPER_NAME = "playpen_poll_oneoff_nonzero_timeout";

const I32 = 0x7f;

/**
 * Works around @wasmer/sdk 0.16, whose `poll_oneoff` never returns when a clock
 * subscription has a timeout of 0 (CPython's `import selectors`/`asyncio` hang on it, as do
 * `nanosleep({0,0})` and `poll(NULL, 0, 0)`).
 *
 * Appends a function with poll_oneoff's signature that bumps every zero clock timeout to
 * 1 ns in place and then calls the real import, and points every reference to the import
 * (calls, `ref.func`, tables, exports, globals, start) at it. Defined functions are numbered
 * after imports, so appending one shifts no existing index.
 *
 * DWARF sections are not updated and may point at shifted code afterwards, so strip them first.
 *
 * Returns `bytes` itself when there is nothing to do: no such import, or already patched.
 * Throws ModuleError ("invalid") when the module cannot be decoded; callers should then run
 * the original module.
 */
export function fixZeroTimeoutPoll<B extends ArrayBufferLike>(bytes: Uint8Array<B>): Uint8Array<B> | Uint8Array<ArrayBuffer> {
  const sections = readSections(bytes);
  const imports = readImports(bytes, sections);
  const functionImports = imports.filter((i) => i.kind === "function");
  const target = functionImports.findIndex((i) => i.module === "wasi_snapshot_preview1" && i.name === "poll_oneoff");
  if (target < 0) return bytes;
  const typeIndex = functionImports[target]!.typeIndex;
  checkSignature(bytes, sections, typeIndex);
  const memory = readModuleInfo(bytes, sections).memory;
  if (!memory || memory.memory64) {
    throw new ModuleError("invalid", "cannot patch poll_oneoff: the module has no 32-bit memory for it to read");
  }

  const find = (id: number) => sections.find((s) => s.id === id);
  const functionSection = find(SectionId.function);
  const definedCount = functionSection ? sectionReader(bytes, functionSection).u32() : 0;
  const wrapper = functionImports.length + definedCount;
  const body = wrapperBody(target);

  const replaced = new Map<Section, Uint8Array>();
  const code = find(SectionId.code);
  const newCode = rewriteCode(bytes, code, definedCount, target, wrapper, body);
  if (!newCode) return bytes;
  for (const section of sections) {
    const sites = referenceSites(bytes, section, target);
    if (sites.length > 0) replaced.set(section, replaceSites(bytes, section.start, section.end, sites, wrapper));
    if (section.name === "name") {
      const names = withFunctionName(bytes, section, wrapper);
      if (names) replaced.set(section, names);
    }
  }

  const functions = new Writer(16).u32(definedCount + 1);
  if (functionSection) {
    const r = sectionReader(bytes, functionSection);
    r.u32();
    functions.bytes(bytes.subarray(r.pos, functionSection.end));
  }
  functions.u32(typeIndex);
  if (functionSection) replaced.set(functionSection, functions.finish());
  if (code) replaced.set(code, newCode);

  let out: SectionPayload[] = sections.map((s) => ({ id: s.id, payload: replaced.get(s) ?? payloadOf(bytes, s).payload }));
  if (!functionSection) out = insertSection(out, { id: SectionId.function, payload: functions.finish() });
  if (!code) out = insertSection(out, { id: SectionId.code, payload: newCode });
  return assembleModule(out);
}

function checkSignature(bytes: Uint8Array, sections: readonly Section[], typeIndex: number): void {
  const typeSection = sections.find((s) => s.id === SectionId.type);
  if (!typeSection) throw new ModuleError("invalid", "malformed WebAssembly module: functions are imported but there is no type section");
  const r = sectionReader(bytes, typeSection);
  const count = r.u32();
  if (typeIndex >= count) r.fail(`poll_oneoff uses type ${typeIndex} but only ${count} types exist`);
  let params: number[] = [];
  let results: number[] = [];
  for (let i = 0; i <= typeIndex; i++) {
    const form = r.u8();
    if (form !== 0x60) r.fail(`unsupported type form 0x${form.toString(16)} (only plain function types are supported)`);
    params = Array.from({ length: r.u32() }, () => valType(r));
    results = Array.from({ length: r.u32() }, () => valType(r));
  }
  if (params.length !== 4 || params.some((t) => t !== I32) || results.length !== 1 || results[0] !== I32) {
    throw new ModuleError("invalid", "cannot patch poll_oneoff: it is not imported with the WASI preview1 signature (i32, i32, i32, i32) -> i32");
  }
}

/**
 * The wrapper (params: in, out, nsubscriptions, nevents_ptr; locals: p, remaining). It walks
 * the 48-byte preview1 subscription records; for clock ones (tag byte @8 is 0) whose timeout
 * (u64 @24) is 0 it stores 1. Records out of bounds trap rather than yield EFAULT, which
 * wasi-libc never provokes.
 */
function wrapperBody(target: number): Uint8Array {
  const w = new Writer(64);
  const localGet = (i: number) => w.u8(0x20).u32(i);
  const localSet = (i: number) => w.u8(0x21).u32(i);
  w.u32(1).u32(2).u8(I32); // locals: 2 x i32
  localGet(0); localSet(4); // p = in
  localGet(2); localSet(5); // remaining = nsubscriptions
  w.u8(0x02).u8(0x40); // block
  w.u8(0x03).u8(0x40); //   loop
  localGet(5); w.u8(0x45).u8(0x0d).u32(1); // br_if (remaining == 0) out of the block
  localGet(4); w.u8(0x2d).u32(0).u32(8); // i32.load8_u offset=8: tag
  w.u8(0x45).u8(0x04).u8(0x40); // i32.eqz, if clock
  localGet(4); w.u8(0x29).u32(3).u32(24); // i64.load offset=24: timeout
  w.u8(0x50).u8(0x04).u8(0x40); // i64.eqz, if zero
  localGet(4); w.u8(0x42).sleb(1).u8(0x37).u32(3).u32(24); // i64.store offset=24 (i64.const 1)
  w.u8(0x0b).u8(0x0b); // end, end
  localGet(4); w.u8(0x41).sleb(48).u8(0x6a); localSet(4); // p += 48
  localGet(5); w.u8(0x41).sleb(1).u8(0x6b); localSet(5); // remaining -= 1
  w.u8(0x0c).u32(0); // br to loop
  w.u8(0x0b).u8(0x0b); // end loop, end block
  for (let i = 0; i < 4; i++) localGet(i);
  w.u8(0x10).u32(target); // call poll_oneoff
  w.u8(0x0b);
  return w.finish();
}

/**
 * Copies the code section with calls to `target` re-pointed and the wrapper appended, or
 * returns null if a body identical to the wrapper is already present (patched before).
 * Function bodies are copied in bulk between call sites; a body is re-sized only when its
 * new call immediates are longer (linkers usually pad them to 5 bytes, so it rarely is).
 */
function rewriteCode(
  bytes: Uint8Array,
  code: Section | undefined,
  definedCount: number,
  target: number,
  wrapper: number,
  body: Uint8Array,
): Uint8Array | null {
  if (!code) return new Writer(body.length + 8).u32(1).u32(body.length).bytes(body).finish();
  const out = new Writer(code.end - code.start + body.length + 16);
  out.u32(definedCount + 1);
  const head = sectionReader(bytes, code);
  head.u32();
  let copyFrom = head.pos;
  const sites: number[] = [];
  for (const { sizeStart, start, end } of functionBodies(bytes, code, definedCount, target, sites)) {
    const size = end - start;
    if (size === body.length && sameBytes(bytes, start, body)) return null;
    if (sites.length === 0) continue;
    let newSize = size;
    for (let k = 0; k < sites.length; k += 2) {
      const oldWidth = sites[k + 1]! - sites[k]!;
      newSize += Math.max(oldWidth, u32LebLength(wrapper)) - oldWidth;
    }
    if (newSize !== size) {
      out.bytes(bytes.subarray(copyFrom, sizeStart)).u32(newSize);
      copyFrom = start;
    }
    for (let k = 0; k < sites.length; k += 2) {
      out.bytes(bytes.subarray(copyFrom, sites[k])).u32(wrapper, sites[k + 1]! - sites[k]!);
      copyFrom = sites[k + 1]!;
    }
  }
  out.bytes(bytes.subarray(copyFrom, code.end));
  return out.u32(body.length).bytes(body).finish();
}

function sameBytes(bytes: Uint8Array, at: number, expected: Uint8Array): boolean {
  for (let i = 0; i < expected.length; i++) if (bytes[at + i] !== expected[i]) return false;
  return true;
}

/** Offsets of function-index immediates equal to `target` (or any: ANY_FUNCTION) outside the code section. */
export function referenceSites(bytes: Uint8Array, section: Section, target: number): number[] {
  const sites: number[] = [];
  const funcIndex = (r: Reader) => {
    const start = r.pos;
    const index = r.u32();
    if (index === target || target === ANY_FUNCTION) sites.push(start, r.pos);
  };
  const r = sectionReader(bytes, section);
  switch (section.id) {
    case SectionId.export:
      for (let n = r.u32(); n > 0; n--) {
        r.name();
        if (r.u8() === 0) funcIndex(r);
        else r.u32();
      }
      break;
    case SectionId.start:
      funcIndex(r);
      break;
    case SectionId.global:
      for (let n = r.u32(); n > 0; n--) {
        valType(r);
        r.u8(); // mutability
        scanExpression(r, target, sites);
      }
      break;
    case SectionId.table:
      for (let n = r.u32(); n > 0; n--) {
        // 0x40 0x00 introduces a table with an initializer expression (typed function references).
        const hasInit = r.bytes[r.pos] === 0x40;
        if (hasInit) r.skip(2);
        valType(r);
        const flags = r.u8();
        r.u64();
        if (flags & 1) r.u64();
        if (hasInit) scanExpression(r, target, sites);
      }
      break;
    case SectionId.element:
      for (let n = r.u32(); n > 0; n--) {
        // Bit 0: passive or declarative; bit 1: explicit table (if active); bit 2: expressions instead of indices.
        const flags = r.u32();
        if (flags > 7) r.fail(`unknown element segment flags ${flags}`);
        const active = (flags & 1) === 0;
        if (active && flags & 2) r.u32();
        if (active) scanExpression(r, target, sites);
        if (flags & 3) {
          if (flags & 4) valType(r);
          else r.u8(); // elemkind
        }
        for (let m = r.u32(); m > 0; m--) {
          if (flags & 4) scanExpression(r, target, sites);
          else funcIndex(r);
        }
      }
      break;
  }
  return sites;
}

function replaceSites(bytes: Uint8Array, start: number, end: number, sites: readonly number[], wrapper: number): Uint8Array {
  const out = new Writer(end - start + sites.length * 3);
  let copyFrom = start;
  for (let k = 0; k < sites.length; k += 2) {
    out.bytes(bytes.subarray(copyFrom, sites[k])).u32(wrapper, sites[k + 1]! - sites[k]!);
    copyFrom = sites[k + 1]!;
  }
  return out.bytes(bytes.subarray(copyFrom, end)).finish();
}

/**
 * The `name` section with the wrapper appended to its function names (it has the highest
 * index, so appending keeps the map sorted), or null to keep the section as is. A name
 * section is only debug info, so a malformed one is left alone rather than failing the patch.
 */
function withFunctionName(bytes: Uint8Array, section: Section, wrapper: number): Uint8Array | null {
  const r = sectionReader(bytes, section);
  try {
    while (!r.done) {
      const subStart = r.pos;
      const id = r.u8();
      const size = r.u32();
      const contentStart = r.pos;
      r.skip(size);
      if (id !== 1) continue;
      const names = new Reader(bytes, contentStart, contentStart + size, "function names");
      const count = names.u32();
      const name = new TextEncoder().encode(WRAPPER_NAME);
      const content = new Writer(size + name.length + 16)
        .u32(count + 1)
        .bytes(bytes.subarray(names.pos, names.end))
        .u32(wrapper)
        .u32(name.length)
        .bytes(name)
        .finish();
      return new Writer(section.end - section.start + name.length + 16)
        .bytes(bytes.subarray(section.start, subStart))
        .u8(1)
        .u32(content.length)
        .bytes(content)
        .bytes(bytes.subarray(r.pos, section.end))
        .finish();
    }
  } catch (error) {
    if (!(error instanceof ModuleError)) throw error;
  }
  return null;
}
