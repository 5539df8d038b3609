import { linkCount, type Node } from "../vfs/index.ts";
import { Errno, FileType, FstFlags } from "./constants.ts";

const encoder = new TextEncoder();

export function fileTypeOf(node: Node): number {
  return node.kind === "file" ? FileType.REGULAR_FILE : node.kind === "dir" ? FileType.DIRECTORY : FileType.SYMBOLIC_LINK;
}

/** Writes a `filestat` for `node`, or for a stream of that file type (stdio: all else zero). */
export function writeFilestat(view: DataView, ptr: number, subject: Node | number): void {
  const node = typeof subject === "number" ? undefined : subject;
  view.setBigUint64(ptr, 0n, true); // dev: one filesystem
  view.setBigUint64(ptr + 8, BigInt(node?.ino ?? 0), true);
  view.setBigUint64(ptr + 16, BigInt(node ? fileTypeOf(node) : (subject as number)), true); // filetype + padding
  view.setBigUint64(ptr + 24, BigInt(node && node.kind !== "dir" ? linkCount(node) : 1), true); // nlink
  view.setBigUint64(ptr + 32, BigInt(sizeOf(node)), true);
  view.setBigUint64(ptr + 40, node?.atim ?? 0n, true);
  view.setBigUint64(ptr + 48, node?.mtim ?? 0n, true);
  view.setBigUint64(ptr + 56, node?.ctim ?? 0n, true);
}

function sizeOf(node: Node | undefined): number {
  if (node?.kind === "file") return node.size;
  if (node?.kind === "symlink") return encoder.encode(node.target).length;
  return 0;
}

/** The times a `fstflags` call asks for, or an errno when it asks for both a time and "now". */
export function requestedTimes(
  atim: bigint,
  mtim: bigint,
  flags: number,
  now: () => bigint,
): { atim: bigint | undefined; mtim: bigint | undefined } | number {
  if ((flags & FstFlags.ATIM && flags & FstFlags.ATIM_NOW) || (flags & FstFlags.MTIM && flags & FstFlags.MTIM_NOW)) {
    return Errno.INVAL;
  }
  const time = (set: number, setNow: number, value: bigint) =>
    flags & setNow ? now() : flags & set ? value : undefined;
  return { atim: time(FstFlags.ATIM, FstFlags.ATIM_NOW, atim), mtim: time(FstFlags.MTIM, FstFlags.MTIM_NOW, mtim) };
}
