import type { Location } from "../vfs/index.ts";
import { Errno } from "./constants.ts";
import type { HostContext } from "./context.ts";

/** Resolves the guest path at `ptr` relative to directory descriptor `fd`; an errno when `fd` is not a directory. */
export function locateAt({ memory, fs, fds }: HostContext, fd: number, ptr: number, len: number, follow: boolean): Location | number {
  const d = fds.get(fd);
  if (d === undefined) return Errno.BADF;
  if (d.kind !== "dir") return Errno.NOTDIR;
  return fs.locate(memory.string(ptr, len), { from: d.dir, follow });
}
