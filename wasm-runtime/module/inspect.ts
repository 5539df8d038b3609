import { Reader, readSections, sectionName, SectionId, type Section } from "./binary.ts";
import { ModuleError } from "./errors.ts";
import { valType } from "./instructions.ts";

export type ExternKind = "function" | "table" | "memory" | "global" | "tag";

export interface ImportInfo {
  module: string;
  name: string;
  kind: ExternKind;
}

export interface ExportInfo {
  name: string;
  kind: ExternKind;
}

export interface MemoryInfo {
  initialPages: number;
  maxPages?: number;
  /** Shared memories need a SharedArrayBuffer, hence cross-origin isolation in browsers. */
  shared: boolean;
  memory64: boolean;
}

export interface ModuleInfo {
  imports: ImportInfo[];
  exports: ExportInfo[];
  /** Exports a `_start` function, i.e. is a WASI command. */
  isCommand: boolean;
  /** Memory 0, imported or defined. */
  memory: MemoryInfo | null;
}

/** An import plus what the poll_oneoff fix needs: the function's type index. */
export interface ImportEntry extends ImportInfo {
  /** Type index for functions, -1 otherwise. */
  typeIndex: number;
  memory?: MemoryInfo;
}

const KINDS: readonly ExternKind[] = ["function", "table", "memory", "global", "tag"];

/** Lists imports, exports and memory, and checks the module with the engine's validator. */
export function inspectModule(bytes: Uint8Array): ModuleInfo {
  const info = readModuleInfo(bytes, readSections(bytes));
  // The section walk above only proves the outline is sound; the engine checks everything else.
  // Cast: validate() is typed for ArrayBuffer-backed views only.
  const view = bytes as Uint8Array<ArrayBuffer>;
  if (!WebAssembly.validate(view)) {
    let reason = "the engine rejected it";
    try {
      new WebAssembly.Module(view); // only compiled on this failure path, to get the engine's reason
    } catch (error) {
      reason = (error as Error).message;
    }
    throw new ModuleError("invalid", `invalid WebAssembly module: ${reason}`);
  }
  return info;
}

/** Like inspectModule, but throws ModuleError "not-a-command" unless the module exports a `_start` function. */
export function assertWasiCommand(bytes: Uint8Array): ModuleInfo {
  const info = inspectModule(bytes);
  if (info.isCommand) return info;
  const start = info.exports.find((e) => e.name === "_start");
  if (start) {
    throw new ModuleError("not-a-command", `this module exports \`_start\` as a ${start.kind}, not a function, so it is not a WASI command`);
  }
  const functions = info.exports.filter((e) => e.kind === "function").map((e) => e.name);
  const listed = functions.slice(0, 8).join(", ") + (functions.length > 8 ? ", …" : "");
  const looksLike = functions.length > 0 ? `it looks like a library/reactor exporting: ${listed}` : "it exports no functions at all";
  throw new ModuleError("not-a-command", `this module has no \`_start\` export, so it is not a WASI command (${looksLike})`);
}

/** Everything inspectModule reports, minus engine validation (which is slow on large modules). */
export function readModuleInfo(bytes: Uint8Array, sections: readonly Section[]): ModuleInfo {
  const entries = readImports(bytes, sections);
  const exports: ExportInfo[] = [];
  const exportSection = sections.find((s) => s.id === SectionId.export);
  if (exportSection) {
    const r = sectionReader(bytes, exportSection);
    for (let n = r.u32(); n > 0; n--) {
      const name = r.name();
      const kind = externKind(r);
      r.u32();
      exports.push({ name, kind });
    }
  }
  let memory = entries.find((e) => e.memory)?.memory ?? null;
  const memorySection = sections.find((s) => s.id === SectionId.memory);
  if (!memory && memorySection) {
    const r = sectionReader(bytes, memorySection);
    if (r.u32() > 0) memory = limits(r);
  }
  return {
    imports: entries.map(({ module, name, kind }) => ({ module, name, kind })),
    exports,
    isCommand: exports.some((e) => e.name === "_start" && e.kind === "function"),
    memory,
  };
}

export function readImports(bytes: Uint8Array, sections: readonly Section[]): ImportEntry[] {
  const section = sections.find((s) => s.id === SectionId.import);
  if (!section) return [];
  const r = sectionReader(bytes, section);
  const entries: ImportEntry[] = [];
  for (let n = r.u32(); n > 0; n--) {
    const entry: ImportEntry = { module: r.name(), name: r.name(), kind: "function", typeIndex: -1 };
    entry.kind = externKind(r);
    switch (entry.kind) {
      case "function":
        entry.typeIndex = r.u32();
        break;
      case "table":
        valType(r);
        limits(r);
        break;
      case "memory":
        entry.memory = limits(r);
        break;
      case "global":
        valType(r);
        r.u8(); // mutability
        break;
      case "tag":
        r.u8(); // attribute
        r.u32();
        break;
    }
    entries.push(entry);
  }
  return entries;
}

export function sectionReader(bytes: Uint8Array, section: Section): Reader {
  return new Reader(bytes, section.contentStart, section.end, `section ${section.id} (${sectionName(section.id)})`);
}

function externKind(r: Reader): ExternKind {
  const byte = r.u8();
  return KINDS[byte] ?? r.fail(`unknown import/export kind ${byte}`);
}

function limits(r: Reader): MemoryInfo {
  const flags = r.u8();
  if (flags > 0x0f) r.fail(`unknown limits flags 0x${flags.toString(16)}`);
  const info: MemoryInfo = { initialPages: r.u64(), shared: (flags & 2) !== 0, memory64: (flags & 4) !== 0 };
  if (flags & 1) info.maxPages = r.u64();
  if (flags & 8) r.u32(); // custom page size (log2)
  return info;
}
