/**
 * Checks that a file is a statically linked ELF executable. The sandboxes'
 * root filesystem holds no dynamic loader or libc, so a dynamically linked
 * binary would fail inside with a confusing "not found".
 */
import { readFileSync } from "node:fs";

const PT_INTERP = 3;

export function isStaticElf(path: string): boolean {
  const bytes = readFileSync(path);
  if (bytes.length < 64 || bytes.readUInt32BE(0) !== 0x7f454c46) return false;
  // 64-bit little-endian only: the runner targets x86-64.
  if (bytes[4] !== 2 || bytes[5] !== 1) return false;
  const phoff = Number(bytes.readBigUInt64LE(0x20));
  const phentsize = bytes.readUInt16LE(0x36);
  const phnum = bytes.readUInt16LE(0x38);
  for (let i = 0; i < phnum; i++) {
    const offset = phoff + i * phentsize;
    if (offset + 4 > bytes.length) return false;
    if (bytes.readUInt32LE(offset) === PT_INTERP) return false;
  }
  return true;
}
