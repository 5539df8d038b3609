import type { Location } from "../vfs/index.ts";
import { Errno } from "./constants.ts";
import type { HostContext } from "./context.ts";
import { withRights } from "./rights.ts";

/**
 * Resolves the guest path at `ptr` relative to directory descriptor `fd`,
 * which must hold the `needed` rights; an errno when it is missing (BADF),
 * lacks them (NOTCAPABLE) or is not a directory (NOTDIR).
 */
export function locateAt({ memory, fs, fds }: HostContext, fd: number, ptr: number, len: number, follow: boolean, needed: bigint): Location | number {
  const d = withRights(fds, fd, needed);
  if (typeof d === "number") return d;
  if (d.kind !== "dir") return Errno.NOTDIR;
  return fs.locate(memory.string(ptr, len), { from: d.dir, follow });
}
