import { ModuleError } from "./errors.ts";
import type { Reader } from "./binary.ts";

/**
 * Decodes one expression (a function body after its locals, or a constant expression)
 * up to and including its final `end`. Every immediate is parsed so that no byte is
 * misread as an opcode; the only thing kept is where function-index immediates equal
 * to `target` (or any, with ANY_FUNCTION) sit (`call`, `return_call`, `ref.func`), pushed to `sites` as
 * [start, end) offset pairs.
 *
 * Covers MVP, sign extension, saturating truncation, bulk memory, reference types,
 * typed function references, SIMD and relaxed SIMD, threads, tail calls, multi-memory,
 * memory64 and both exception-handling encodings. GC (0xfb) and anything newer is
 * rejected with ModuleError "invalid".
 */
export function scanExpression(r: Reader, target: number, sites: number[]): void {
  let depth = 0;
  for (;;) {
    const at = r.pos;
    const op = r.u8();
    switch (op) {
      case 0x0b: // end
        if (depth === 0) return;
        depth--;
        break;
      case 0x02: // block
      case 0x03: // loop
      case 0x04: // if
      case 0x06: // try (legacy exceptions)
        blockType(r);
        depth++;
        break;
      case 0x1f: // try_table
        blockType(r);
        for (let n = r.u32(); n > 0; n--) {
          const kind = r.u8();
          if (kind > 3) r.fail(`unknown catch kind ${kind} in try_table`);
          if (kind < 2) r.skipLeb(); // tag index of catch / catch_ref
          r.skipLeb(); // label
        }
        depth++;
        break;
      case 0x18: // delegate closes a legacy try instead of `end`
        r.skipLeb();
        depth--;
        break;
      case 0x10: // call
      case 0x12: // return_call
      case 0xd2: // ref.func
        funcIndex(r, target, sites);
        break;
      case 0x07: // catch
      case 0x08: // throw
      case 0x09: // rethrow
      case 0x0c: // br
      case 0x0d: // br_if
      case 0x14: // call_ref
      case 0x15: // return_call_ref
      case 0x20: // local.get
      case 0x21: // local.set
      case 0x22: // local.tee
      case 0x23: // global.get
      case 0x24: // global.set
      case 0x25: // table.get
      case 0x26: // table.set
      case 0x3f: // memory.size
      case 0x40: // memory.grow
      case 0x41: // i32.const
      case 0x42: // i64.const
      case 0xd0: // ref.null
      case 0xd4: // br_on_null
      case 0xd6: // br_on_non_null
        r.skipLeb();
        break;
      case 0x11: // call_indirect
      case 0x13: // return_call_indirect
        r.skipLeb();
        r.skipLeb();
        break;
      case 0x0e: // br_table: n labels plus the default
        for (let n = r.u32(); n >= 0; n--) r.skipLeb();
        break;
      case 0x1c: // select with types
        for (let n = r.u32(); n > 0; n--) valType(r);
        break;
      case 0x43: // f32.const
        r.skip(4);
        break;
      case 0x44: // f64.const
        r.skip(8);
        break;
      case 0xfc:
        miscOp(r, at);
        break;
      case 0xfd:
        simdOp(r, at);
        break;
      case 0xfe:
        atomicOp(r, at);
        break;
      default:
        if (op >= 0x28 && op <= 0x3e) memArg(r); // loads and stores
        else if (!hasNoImmediates(op)) unknownOpcode(r, at, hex(op));
    }
  }
}

const hex = (n: number) => `0x${n.toString(16).padStart(2, "0")}`;

function hasNoImmediates(op: number): boolean {
  return (
    op <= 0x01 || // unreachable, nop
    op === 0x05 || // else
    op === 0x0a || // throw_ref
    op === 0x0f || // return
    op === 0x19 || // catch_all
    op === 0x1a || // drop
    op === 0x1b || // select
    (op >= 0x45 && op <= 0xc4) || // numeric, including sign extension
    op === 0xd1 || // ref.is_null
    op === 0xd3 || // ref.as_non_null
    op === 0xd5 // ref.eq
  );
}

/** A `target` that matches every function index: for rewrites that renumber all functions. */
export const ANY_FUNCTION = -1;

function funcIndex(r: Reader, target: number, sites: number[]): void {
  const start = r.pos;
  const index = r.u32();
  if (index === target || target === ANY_FUNCTION) sites.push(start, r.pos);
}

/** 0x40 (empty), a value type, or an s33 type index. */
function blockType(r: Reader): void {
  const b = r.u8();
  if (b === 0x63 || b === 0x64) r.skipLeb(); // (ref null? ht): heap type follows
  else if (b & 0x80) {
    r.pos--;
    r.skipLeb();
  }
}

export function valType(r: Reader): number {
  const b = r.u8();
  if (b === 0x63 || b === 0x64) r.skipLeb();
  return b;
}

function memArg(r: Reader): void {
  // Bit 6 of the alignment field announces an explicit memory index (multi-memory).
  if (r.u32() & 0x40) r.skipLeb();
  r.skipLeb(); // offset: u32, or u64 with memory64
}

function miscOp(r: Reader, at: number): void {
  const sub = r.u32();
  if (sub <= 7) return; // saturating truncation
  switch (sub) {
    case 8: // memory.init data, mem
    case 10: // memory.copy mem, mem
    case 12: // table.init elem, table
    case 14: // table.copy table, table
      r.skipLeb();
      r.skipLeb();
      return;
    case 9: // data.drop
    case 11: // memory.fill
    case 13: // elem.drop
    case 15: // table.grow
    case 16: // table.size
    case 17: // table.fill
      r.skipLeb();
      return;
    default:
      unknownOpcode(r, at, `0xfc ${hex(sub)}`);
  }
}

function simdOp(r: Reader, at: number): void {
  const sub = r.u32();
  if (sub <= 11) memArg(r); // loads, load-splats, store
  else if (sub <= 13) r.skip(16); // v128.const, i8x16.shuffle
  else if (sub <= 20) return; // swizzle, splats
  else if (sub <= 34) r.skip(1); // extract/replace lane
  else if (sub <= 83) return; // comparisons and bitwise ops
  else if (sub <= 91) {
    memArg(r); // load/store lane
    r.skip(1);
  } else if (sub <= 93) memArg(r); // load32_zero, load64_zero
  // The rest, up to the end of relaxed SIMD, is arithmetic without immediates.
  else if (sub > 0x113) unknownOpcode(r, at, `0xfd ${hex(sub)}`);
}

function atomicOp(r: Reader, at: number): void {
  const sub = r.u32();
  if (sub === 3) r.skip(1); // atomic.fence takes a zero byte
  else if (sub <= 2 || (sub >= 0x10 && sub <= 0x4e)) memArg(r); // notify, wait, loads, stores, rmw
  else unknownOpcode(r, at, `0xfe ${hex(sub)}`);
}

function unknownOpcode(r: Reader, at: number, opcode: string): never {
  throw new ModuleError("invalid", `cannot decode WebAssembly code: unknown or unsupported opcode ${opcode} at offset ${at} (${r.what})`);
}
