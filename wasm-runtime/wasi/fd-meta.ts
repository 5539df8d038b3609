import { Errno, FileType, Rights } from "./constants.ts";
import type { HostContext } from "./context.ts";
import { closeDescriptor, Granted, type Descriptor } from "./descriptors.ts";
import { errnoOf } from "./errno.ts";
import { requestedTimes, writeFilestat } from "./filestat.ts";
import { rightsOf, stdioStat, withRights } from "./rights.ts";
const ADVICE_MAX = 5;

/** Descriptor bookkeeping and metadata: close, renumber, fdstat, rights, filestat, sizes and times. */
export function fdMetaCalls({ memory, fs, fds, permits }: HostContext) {
  /** A descriptor's write permission for metadata changes, asked of the policy once per descriptor. */
  function mayWrite(d: Descriptor & { kind: "file" | "dir" }, syscall: string): boolean {
    if (d.granted & Granted.WRITE) return true;
    const path = fs.pathOf(d.kind === "file" ? d.file : d.dir);
    // An unlinked node is reachable only through this descriptor: nothing left to protect.
    if (path !== undefined && !permits(path, "write", syscall)) return false;
    d.granted |= Granted.WRITE;
    return true;
  }

  return {
    fd_close(fd: number): number {
      const d = fds.remove(fd);
      if (d === undefined) return Errno.BADF;
      closeDescriptor(fs, d);
      return Errno.SUCCESS;
    },

    fd_renumber(from: number, to: number): number {
      if (fds.get(from) === undefined || fds.get(to) === undefined) return Errno.BADF;
      if (from === to) return Errno.SUCCESS;
      closeDescriptor(fs, fds.renumber(from, to)!);
      return Errno.SUCCESS;
    },

    fd_fdstat_get(fd: number, statPtr: number): number {
      const d = fds.get(fd);
      if (d === undefined) return Errno.BADF;
      try {
        const view = memory.view;
        const stdio = stdioStat(d);
        view.setBigUint64(statPtr, 0n, true);
        view.setUint8(statPtr, stdio?.filetype ?? (d.kind === "dir" ? FileType.DIRECTORY : FileType.REGULAR_FILE));
        view.setUint16(statPtr + 2, d.flags, true);
        view.setBigUint64(statPtr + 8, rightsOf(d), true);
        view.setBigUint64(statPtr + 16, d.kind === "stdin" || d.kind === "output" ? stdio!.inheriting : d.inheriting, true);
        return Errno.SUCCESS;
      } catch (error) {
        return errnoOf(error);
      }
    },

    fd_fdstat_set_flags(fd: number, flags: number): number {
      const d = withRights(fds, fd, Rights.FD_FDSTAT_SET_FLAGS);
      if (typeof d === "number") return d;
      d.flags = flags;
      return Errno.SUCCESS;
    },

    /** Rights can only shrink (WASI's rule); each call checks the rights it needs. */
    fd_fdstat_set_rights(fd: number, rights: bigint, inheriting: bigint): number {
      const d = fds.get(fd);
      if (d === undefined) return Errno.BADF;
      if (d.kind === "stdin" || d.kind === "output") return Errno.NOTSUP;
      if ((rights & ~d.rights) !== 0n || (inheriting & ~d.inheriting) !== 0n) return Errno.NOTCAPABLE;
      d.rights = rights;
      d.inheriting = inheriting;
      return Errno.SUCCESS;
    },

    fd_filestat_get(fd: number, statPtr: number): number {
      const d = withRights(fds, fd, Rights.FD_FILESTAT_GET);
      if (typeof d === "number") return d;
      try {
        writeFilestat(memory.view, statPtr, d.kind === "file" ? d.file : d.kind === "dir" ? d.dir : d.kind === "tool" ? d.node : stdioStat(d)!.filetype);
        return Errno.SUCCESS;
      } catch (error) {
        return errnoOf(error);
      }
    },

    fd_filestat_set_size(fd: number, size: bigint): number {
      const d = withRights(fds, fd, Rights.FD_FILESTAT_SET_SIZE);
      if (typeof d === "number") return d;
      if (d.kind !== "file") return Errno.BADF;
      try {
        fs.truncate(d.file, Number(size));
        return Errno.SUCCESS;
      } catch (error) {
        return errnoOf(error);
      }
    },

    fd_allocate(fd: number, offset: bigint, len: bigint): number {
      const d = withRights(fds, fd, Rights.FD_ALLOCATE);
      if (typeof d === "number") return d;
      if (d.kind !== "file") return Errno.BADF;
      const end = Number(offset + len);
      try {
        if (end > d.file.size) fs.truncate(d.file, end);
        return Errno.SUCCESS;
      } catch (error) {
        return errnoOf(error);
      }
    },

    fd_filestat_set_times(fd: number, atim: bigint, mtim: bigint, flags: number): number {
      const d = withRights(fds, fd, Rights.FD_FILESTAT_SET_TIMES);
      if (typeof d === "number") return d;
      if (d.kind === "stdin" || d.kind === "output") return Errno.SUCCESS;
      if (d.kind === "tool") return Errno.ROFS;
      const times = requestedTimes(atim, mtim, flags, fs.now);
      if (typeof times === "number") return times;
      if (!mayWrite(d, "fd_filestat_set_times")) return Errno.ACCES;
      try {
        fs.setTimes(d.kind === "file" ? d.file : d.dir, times.atim, times.mtim);
        return Errno.SUCCESS;
      } catch (error) {
        return errnoOf(error);
      }
    },

    fd_advise(fd: number, _offset: bigint, _len: bigint, advice: number): number {
      const d = withRights(fds, fd, Rights.FD_ADVISE);
      if (typeof d === "number") return d;
      if (d.kind === "stdin" || d.kind === "output" || d.kind === "tool") return Errno.SPIPE;
      return advice > ADVICE_MAX ? Errno.INVAL : Errno.SUCCESS;
    },

    /** Everything is in memory: there is nothing to flush. */
    fd_sync(fd: number): number {
      const d = withRights(fds, fd, Rights.FD_SYNC);
      return typeof d === "number" ? d : Errno.SUCCESS;
    },

    fd_datasync(fd: number): number {
      const d = withRights(fds, fd, Rights.FD_DATASYNC);
      return typeof d === "number" ? d : Errno.SUCCESS;
    },
  };
}
