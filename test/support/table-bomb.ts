import { assembleModule, SectionId, Writer } from "../../wasm-runtime/module/index.ts";

/**
 * A WASI command that grows `tables` externref tables by `entries` each — the
 * host-heap bomb of issue 13 (60 tables × 10 million entries exhaust V8's
 * heap, which no memory limit sees). A grow that fails inside the guest exits
 * with status 42; a bomb that got through exits 0, if the host survives it.
 */
export function tableBomb(tables = 60, entries = 10_000_000): Uint8Array<ArrayBuffer> {
  const vec = (items: Uint8Array[]) => {
    const w = new Writer().u32(items.length);
    for (const item of items) w.bytes(item);
    return w.finish();
  };
  const type = (params: number[]) => new Writer().u8(0x60).u32(params.length).bytes(new Uint8Array(params)).u32(0).finish();
  const name = (text: string) => new Writer().u32(text.length).bytes(new TextEncoder().encode(text)).finish();
  const types = vec([type([]), type([0x7f])]);
  const imports = vec([new Writer().bytes(name("wasi_snapshot_preview1")).bytes(name("proc_exit")).u8(0x00).u32(1).finish()]);
  const functions = vec([new Writer().u32(0).finish()]);
  const tableSection = vec(Array.from({ length: tables }, () => new Uint8Array([0x6f, 0x00, 0x00])));
  const memory = vec([new Uint8Array([0x00, 0x01])]);
  const exports = vec([
    new Writer().bytes(name("_start")).u8(0x00).u32(1).finish(),
    new Writer().bytes(name("memory")).u8(0x02).u32(0).finish(),
  ]);
  const body = new Writer().u32(0);
  for (let table = 0; table < tables; table++) {
    // if (table.grow $table (ref.null extern) entries == -1) proc_exit(42)
    body.u8(0xd0).u8(0x6f).u8(0x41).sleb(entries).u8(0xfc).u32(15).u32(table);
    body.u8(0x41).sleb(-1).u8(0x46).u8(0x04).u8(0x40).u8(0x41).sleb(42).u8(0x10).u32(0).u8(0x0b);
  }
  body.u8(0x0b);
  const code = body.finish();
  const codeSection = vec([new Writer().u32(code.length).bytes(code).finish()]);
  return assembleModule([
    { id: SectionId.type, payload: types },
    { id: SectionId.import, payload: imports },
    { id: SectionId.function, payload: functions },
    { id: SectionId.table, payload: tableSection },
    { id: SectionId.memory, payload: memory },
    { id: SectionId.export, payload: exports },
    { id: SectionId.code, payload: codeSection },
  ]);
}
