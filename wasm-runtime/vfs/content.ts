import { FsError } from "./errors.ts";
import type { FileNode } from "./nodes.ts";

/** Largest file the VFS holds (typed arrays beyond 2 GiB are not portable across engines). */
export const MAX_FILE_BYTES = 2 ** 31 - 1;
const MIN_CAPACITY = 64;

// Invariant: file.data[size..capacity) is all zeros, so growing a file (a write past
// the end, a larger truncate) exposes zeros without clearing anything.

/** Copies up to `into.length` bytes from `offset`; returns how many (0 at or past the end). */
export function readAt(file: FileNode, into: Uint8Array, offset: number): number {
  checkOffset(offset);
  if (offset >= file.size) return 0;
  const count = Math.min(into.length, file.size - offset);
  into.set(file.data.subarray(offset, offset + count));
  return count;
}

/** Writes all of `bytes` at `offset` (a gap past the end reads as zeros), or throws and writes nothing. */
export function writeAt(file: FileNode, bytes: Uint8Array, offset: number, now: bigint): void {
  checkOffset(offset);
  if (bytes.length === 0) return;
  const end = offset + bytes.length;
  if (end > file.size) grow(file, end);
  file.data.set(bytes, offset);
  file.mtim = file.ctim = now;
}

/** Truncates or extends (with zeros) the file to `size` bytes. */
export function resize(file: FileNode, size: number, now: bigint): void {
  checkOffset(size);
  if (size > file.size) {
    grow(file, size);
  } else if (size < file.size) {
    file.quota?.charge(size - file.size);
    if (size <= file.data.length >> 2) {
      // Give back memory after a large shrink (typically opening with O_TRUNC).
      const data = new Uint8Array(Math.max(size, MIN_CAPACITY));
      data.set(file.data.subarray(0, size));
      file.data = data;
    } else {
      file.data.fill(0, size, file.size);
    }
    file.size = size;
  }
  file.mtim = file.ctim = now;
}

/** Frees an unlinked file's content and returns its bytes to the quota. */
export function release(file: FileNode): void {
  file.quota?.charge(-file.size);
  file.data = new Uint8Array(0);
  file.size = 0;
}

/** Offsets and sizes come from the guest as 64-bit integers; negative ones are invalid. */
function checkOffset(offset: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0) throw new FsError("EINVAL");
}

function grow(file: FileNode, size: number): void {
  if (size > MAX_FILE_BYTES) throw new FsError("EFBIG");
  file.quota?.charge(size - file.size);
  if (size > file.data.length) {
    const capacity = Math.min(Math.max(size, file.data.length * 2, MIN_CAPACITY), MAX_FILE_BYTES);
    let data: Uint8Array;
    try {
      data = new Uint8Array(capacity);
    } catch {
      // The engine could not allocate it: for the guest, the disk is full.
      file.quota?.charge(file.size - size);
      throw new FsError("ENOSPC");
    }
    data.set(file.data.subarray(0, file.size));
    file.data = data;
  }
  file.size = size;
}
