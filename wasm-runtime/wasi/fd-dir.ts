import { Errno, PREOPENTYPE_DIR, Rights, Size } from "./constants.ts";
import type { HostContext } from "./context.ts";
import { Granted } from "./descriptors.ts";
import { errnoOf } from "./errno.ts";
import { fileTypeOf } from "./filestat.ts";
import { withRights } from "./rights.ts";

const encoder = new TextEncoder();

/** Directory descriptors: listing, and the preopened directories wasi-libc discovers at start. */
export function fdDirCalls({ memory, fs, fds, permits }: HostContext) {
  const header = new Uint8Array(Size.DIRENT);
  const headerView = new DataView(header.buffer);

  return {
    fd_readdir(fd: number, buf: number, bufLen: number, cookie: bigint, bufusedPtr: number): number {
      const d = withRights(fds, fd, Rights.FD_READDIR);
      if (typeof d === "number") return d;
      if (d.kind !== "dir") return Errno.NOTDIR;
      if (!(d.granted & Granted.READ)) {
        // Preopens were never opened through path_open, where listing is usually allowed.
        const path = fs.pathOf(d.dir);
        if (path !== undefined && !permits(path, "read", "fd_readdir")) return Errno.ACCES;
        d.granted |= Granted.READ;
      }
      try {
        const out = memory.bytesAt(buf, bufLen);
        let used = 0;
        for (const { name, node, next } of fs.readdir(d.dir, cookie)) {
          const nameBytes = encoder.encode(name);
          headerView.setBigUint64(0, next, true);
          headerView.setBigUint64(8, BigInt(node.ino), true);
          headerView.setUint32(16, nameBytes.length, true);
          headerView.setUint32(20, fileTypeOf(node), true); // d_type and 3 bytes of padding
          // Fill the buffer to the last byte: a truncated last entry tells wasi-libc to retry with a larger one.
          for (const part of [header, nameBytes]) {
            const count = Math.min(part.length, bufLen - used);
            out.set(part.subarray(0, count), used);
            used += count;
          }
          if (used === bufLen) break;
        }
        memory.view.setUint32(bufusedPtr, used, true);
        return Errno.SUCCESS;
      } catch (error) {
        return errnoOf(error);
      }
    },

    /** BADF past the last descriptor ends wasi-libc's scan of the preopens; an open descriptor that is not one is INVAL (as uvwasi). */
    fd_prestat_get(fd: number, prestatPtr: number): number {
      const d = fds.get(fd);
      if (d === undefined) return Errno.BADF;
      if (d.kind !== "dir" || d.preopen === undefined) return Errno.INVAL;
      try {
        const view = memory.view;
        view.setUint32(prestatPtr, PREOPENTYPE_DIR, true);
        view.setUint32(prestatPtr + 4, encoder.encode(d.preopen).length, true);
        return Errno.SUCCESS;
      } catch (error) {
        return errnoOf(error);
      }
    },

    fd_prestat_dir_name(fd: number, pathPtr: number, pathLen: number): number {
      const d = fds.get(fd);
      if (d === undefined) return Errno.BADF;
      if (d.kind !== "dir" || d.preopen === undefined) return Errno.INVAL;
      try {
        memory.bytesAt(pathPtr, pathLen).set(encoder.encode(d.preopen).subarray(0, pathLen));
        return Errno.SUCCESS;
      } catch (error) {
        return errnoOf(error);
      }
    },
  };
}
