import { assembleModule, payloadOf, readSections, SectionId, Writer } from "./binary.ts";
import { ModuleError } from "./errors.ts";
import { sectionReader } from "./inspect.ts";

export const WASM_PAGE_BYTES = 64 * 1024;

/** How many wasm pages make `mib` MiB. */
export const pagesOfMiB = (mib: number): number => (mib * 1024 * 1024) / WASM_PAGE_BYTES;

/**
 * Lowers the maximum of the module's own memory to `maxPages`, so `memory.grow`
 * beyond it fails inside the guest (malloc returns NULL, Python raises
 * MemoryError) instead of the engine granting up to 4 GiB. A module that needs
 * more than the cap just to start is rejected with a message saying so. A
 * module already within the cap comes back as the very same array.
 */
export function capMemory<B extends ArrayBufferLike>(bytes: Uint8Array<B>, maxPages: number): Uint8Array<B> | Uint8Array<ArrayBuffer> {
  return rewriteMemoryMax(bytes, maxPages, (declaredMax) => Math.min(declaredMax, maxPages));
}

/**
 * Sets the maximum to exactly `maxPages`, raising it if need be: for the
 * runtimes, which the build ships capped at the default limit (so the default
 * policy runs the served bytes unchanged) and whose own maximum was 4 GiB.
 */
export function setMemoryMaximum<B extends ArrayBufferLike>(bytes: Uint8Array<B>, maxPages: number): Uint8Array<B> | Uint8Array<ArrayBuffer> {
  return rewriteMemoryMax(bytes, maxPages, () => maxPages);
}

function rewriteMemoryMax<B extends ArrayBufferLike>(
  bytes: Uint8Array<B>,
  maxPages: number,
  newMax: (declaredMax: number) => number,
): Uint8Array<B> | Uint8Array<ArrayBuffer> {
  const sections = readSections(bytes);
  const memory = sections.find((s) => s.id === SectionId.memory);
  if (!memory) return bytes; // no memory of its own: an imported one is the host's to size
  const r = sectionReader(bytes, memory);
  const count = r.u32();
  const flags = r.u8();
  if (count !== 1 || flags & 0b1100) {
    throw new ModuleError("invalid", "cannot limit the memory of this module: it declares several or 64-bit memories");
  }
  const initial = r.u32();
  const declaredMax = flags & 1 ? r.u32() : Infinity;
  if (initial > maxPages) {
    throw new ModuleError(
      "invalid",
      `this module needs ${mib(initial)} of memory to start, more than the memory limit of ${mib(maxPages)}`,
    );
  }
  const max = newMax(declaredMax);
  if (max === declaredMax) return bytes;
  const payload = new Writer(16).u32(1).u8(flags | 1).u32(initial).u32(max).bytes(bytes.subarray(r.pos, memory.end)).finish();
  return assembleModule(sections.map((s) => (s === memory ? { id: s.id, payload } : payloadOf(bytes, s))));
}

function mib(pages: number): string {
  return `${Math.round((pages * WASM_PAGE_BYTES) / 1024 / 1024)} MiB`;
}
