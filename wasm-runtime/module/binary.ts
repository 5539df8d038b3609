import { ModuleError } from "./errors.ts";

export const SectionId = {
  custom: 0,
  type: 1,
  import: 2,
  function: 3,
  table: 4,
  memory: 5,
  global: 6,
  export: 7,
  start: 8,
  element: 9,
  code: 10,
  data: 11,
  dataCount: 12,
  tag: 13,
} as const;

const SECTION_NAMES = [
  "custom", "type", "import", "function", "table", "memory", "global",
  "export", "start", "element", "code", "data", "data count", "tag",
];

/** Position of each known section in the order the binary format requires (the tag section sits between memory and global). */
const SECTION_ORDER = [0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6];

export function sectionName(id: number): string {
  return SECTION_NAMES[id] ?? "unknown";
}

export interface Section {
  id: number;
  /** Custom sections only. */
  name?: string;
  /** Offset of the section id byte. */
  offset: number;
  /** Payload range [start, end); for custom sections it includes the name. */
  start: number;
  end: number;
  /** Where the payload proper begins: after the name for custom sections, else `start`. */
  contentStart: number;
}

/** A section to write back: its id and full payload (custom sections include their name). */
export interface SectionPayload {
  id: number;
  payload: Uint8Array;
}

const MAGIC = [0x00, 0x61, 0x73, 0x6d];
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Cursor over `bytes[pos, end)`. Reads past `end` throw a ModuleError naming `what`,
 * so callers never have to bounds-check. Values come back as plain numbers (no
 * tuples) because the code-section decoder calls these millions of times.
 */
export class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
    public end: number,
    public what: string,
  ) {}

  get done(): boolean {
    return this.pos >= this.end;
  }

  u8(): number {
    if (this.pos >= this.end) this.overrun();
    return this.bytes[this.pos++]!;
  }

  u32(): number {
    const b = this.u8();
    if (b < 0x80) return b;
    let result = b & 0x7f;
    for (let shift = 7; ; shift += 7) {
      const next = this.u8();
      if (shift === 28 && next > 0x0f) this.fail("integer does not fit in 32 bits");
      result |= (next & 0x7f) << shift;
      if (next < 0x80) return result >>> 0;
    }
  }

  /** Unsigned LEB128 of up to 64 bits (memory64 limits); exact below 2^53. */
  u64(): number {
    let result = 0;
    for (let i = 0, scale = 1; i < 10; i++, scale *= 128) {
      const b = this.u8();
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
    }
    return this.fail("integer is longer than 10 bytes");
  }

  s32(): number {
    let result = 0;
    let shift = 0;
    let b: number;
    do {
      b = this.u8();
      if (shift === 28 && (b & 0x80 || ((b & 0x78) !== 0 && (b & 0x78) !== 0x78))) {
        this.fail("integer does not fit in 32 bits");
      }
      result |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    return shift < 32 && b & 0x40 ? result | (-1 << shift) : result;
  }

  /** Skips a LEB128 of any width (i64.const, 64-bit offsets, s33 block types). */
  skipLeb(): void {
    for (let i = 0; i < 10; i++) if (this.u8() < 0x80) return;
    this.fail("integer is longer than 10 bytes");
  }

  skip(n: number): void {
    if (n > this.end - this.pos) this.overrun();
    this.pos += n;
  }

  name(): string {
    const length = this.u32();
    const start = this.pos;
    this.skip(length);
    try {
      return utf8.decode(this.bytes.subarray(start, start + length));
    } catch {
      return this.fail(`name at offset ${start} is not valid UTF-8`);
    }
  }

  fail(problem: string): never {
    throw new ModuleError("invalid", `malformed WebAssembly module: ${problem} (${this.what}, offset ${this.pos})`);
  }

  private overrun(): never {
    throw new ModuleError("invalid", `malformed WebAssembly module: ${this.what} ends unexpectedly at offset ${this.pos}`);
  }
}

/** Append-only byte buffer that doubles when full. */
export class Writer {
  private buf: Uint8Array<ArrayBuffer>;
  length = 0;

  constructor(capacity = 1024) {
    this.buf = new Uint8Array(Math.max(16, capacity));
  }

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  u8(value: number): this {
    this.reserve(1);
    this.buf[this.length++] = value;
    return this;
  }

  /** Unsigned LEB128; `width` (at most 5) pads it with continuation bytes, which wasm allows for u32. */
  u32(value: number, width = 0): this {
    this.reserve(5);
    let v = value >>> 0;
    for (let i = 1; v >= 0x80 || i < width; i++) {
      this.buf[this.length++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[this.length++] = v;
    return this;
  }

  /** Signed LEB128 of a safe integer (serves i32.const and small i64.const immediates alike). */
  sleb(value: number): this {
    this.reserve(10);
    let v = value;
    for (;;) {
      const byte = v & 0x7f;
      v = Math.floor(v / 128);
      if ((v === 0 && !(byte & 0x40)) || (v === -1 && byte & 0x40)) {
        this.buf[this.length++] = byte;
        return this;
      }
      this.buf[this.length++] = byte | 0x80;
    }
  }

  bytes(data: Uint8Array): this {
    this.reserve(data.length);
    this.buf.set(data, this.length);
    this.length += data.length;
    return this;
  }

  finish(): Uint8Array<ArrayBuffer> {
    return this.buf.subarray(0, this.length);
  }
}

export function u32LebLength(value: number): number {
  let n = 1;
  for (let v = value >>> 7; v !== 0; v >>>= 7) n++;
  return n;
}

/** Parses the 8-byte header and the section table without looking inside sections. */
export function readSections(bytes: Uint8Array): Section[] {
  checkHeader(bytes);
  const sections: Section[] = [];
  const r = new Reader(bytes, 8, bytes.length, "section header");
  while (!r.done) {
    const offset = r.pos;
    const id = r.u8();
    let size: number;
    try {
      size = r.u32();
    } catch (error) {
      if (r.pos < bytes.length) throw error;
      throw new ModuleError("truncated", `truncated WebAssembly module: the header of the section at offset ${offset} is cut off`);
    }
    if (id >= SECTION_NAMES.length) {
      throw new ModuleError("invalid", `malformed WebAssembly module: unknown section id ${id} at offset ${offset}`);
    }
    const start = r.pos;
    const remaining = bytes.length - start;
    if (size > remaining) {
      throw new ModuleError(
        "truncated",
        `truncated WebAssembly module: section ${id} (${sectionName(id)}) declares ${size} bytes but only ${remaining} remain`,
      );
    }
    const section: Section = { id, offset, start, end: start + size, contentStart: start };
    if (id === SectionId.custom) {
      const nameReader = new Reader(bytes, start, start + size, `custom section at offset ${offset}`);
      section.name = nameReader.name();
      section.contentStart = nameReader.pos;
    }
    sections.push(section);
    r.pos = start + size;
  }
  return sections;
}

/** Writes a module: header, then each section with a freshly computed size. */
export function assembleModule(sections: readonly SectionPayload[]): Uint8Array<ArrayBuffer> {
  let total = 8;
  for (const s of sections) total += 1 + u32LebLength(s.payload.length) + s.payload.length;
  const out = new Writer(total);
  out.bytes(new Uint8Array([...MAGIC, 1, 0, 0, 0]));
  for (const s of sections) out.u8(s.id).u32(s.payload.length).bytes(s.payload);
  return out.finish();
}

/** Returns `sections` with `added` placed where the binary format's section order wants it. */
export function insertSection(sections: readonly SectionPayload[], added: SectionPayload): SectionPayload[] {
  const rank = SECTION_ORDER[added.id]!;
  let at = 0;
  sections.forEach((s, i) => {
    if (s.id !== SectionId.custom && SECTION_ORDER[s.id]! < rank) at = i + 1;
  });
  return [...sections.slice(0, at), added, ...sections.slice(at)];
}

export function payloadOf(bytes: Uint8Array, section: Section): SectionPayload {
  return { id: section.id, payload: bytes.subarray(section.start, section.end) };
}

function checkHeader(bytes: Uint8Array): void {
  const hasMagic = MAGIC.every((b, i) => i >= bytes.length || bytes[i] === b);
  if (bytes.length === 0 || !hasMagic) {
    throw new ModuleError("not-wasm", describeNonWasm(bytes));
  }
  if (bytes.length < 8) {
    throw new ModuleError(
      "truncated",
      `truncated WebAssembly module: only ${bytes.length} byte${bytes.length === 1 ? "" : "s"}, the 8-byte header is incomplete`,
    );
  }
  const version = new DataView(bytes.buffer, bytes.byteOffset + 4, 4).getUint32(0, true);
  if (version === 1) return;
  // Component-model binaries share the magic but carry version 0x0d and layer 1.
  if (bytes[4] === 0x0d && bytes[6] === 0x01 && bytes[7] === 0x00) {
    throw new ModuleError(
      "unsupported-version",
      "unsupported WebAssembly binary: this is a component (component model), not a core module; only core WASI preview1 modules can run here",
    );
  }
  throw new ModuleError("unsupported-version", `unsupported WebAssembly version ${version} (only version 1 is supported)`);
}

function describeNonWasm(bytes: Uint8Array): string {
  if (bytes.length === 0) return "not a WebAssembly module: the file is empty (0 bytes)";
  const hex = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join(" ");
  return `not a WebAssembly module: it starts with bytes ${hex} (${guessFormat(bytes)})`;
}

function guessFormat(bytes: Uint8Array): string {
  const startsWith = (...prefix: number[]) => prefix.every((b, i) => bytes[i] === b);
  if (startsWith(0x7f, 0x45, 0x4c, 0x46)) return "looks like an ELF executable";
  if (startsWith(0x50, 0x4b)) return "looks like a zip archive";
  if (startsWith(0x1f, 0x8b)) return "looks like a gzip file; decompress it first";
  if (startsWith(0x4d, 0x5a)) return "looks like a Windows executable";
  if (startsWith(0xcf, 0xfa, 0xed, 0xfe) || startsWith(0xca, 0xfe, 0xba, 0xbe)) return "looks like a macOS executable";
  const text = asText(bytes.subarray(0, 256));
  if (text === null) return "expected 00 61 73 6d, the \"\\0asm\" magic number";
  const firstLine = JSON.stringify(text.split(/\r?\n/, 1)[0]!.slice(0, 60));
  if (text.startsWith("#!")) return `looks like a script: ${firstLine}`;
  if (/^\s*\(module\b/.test(text)) return "looks like WebAssembly text format (.wat); compile it to a binary .wasm first";
  return `looks like text or source code: ${firstLine}`;
}

/** The prefix decoded as UTF-8 if it reads as text (no control characters but whitespace), else null. */
function asText(prefix: Uint8Array): string | null {
  let text: string;
  try {
    // `stream` tolerates a multi-byte character cut off by the 256-byte window.
    text = new TextDecoder("utf-8", { fatal: true }).decode(prefix, { stream: true });
  } catch {
    return null;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && (c < 0x09 || c > 0x0d)) || c === 0x7f) return null;
  }
  return text;
}
