import { Errno, FileType, Rights } from "./constants.ts";
import type { HostContext } from "./context.ts";
import { closeDescriptor, Granted, type Descriptor } from "./descriptors.ts";
import { errnoOf } from "./errno.ts";
import { requestedTimes, writeFilestat } from "./filestat.ts";

/** Stdio looks like a terminal (a character device that cannot seek), as under @wasmer/sdk: C stdio then line-buffers. */
const STDIO_RIGHTS = Rights.ALL & ~(Rights.FD_SEEK | Rights.FD_TELL);
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
        const stdio = d.kind === "stdin" || d.kind === "output";
        view.setBigUint64(statPtr, 0n, true);
        view.setUint8(statPtr, stdio ? FileType.CHARACTER_DEVICE : d.kind === "dir" ? FileType.DIRECTORY : FileType.REGULAR_FILE);
        view.setUint16(statPtr + 2, d.flags, true);
        view.setBigUint64(statPtr + 8, stdio ? STDIO_RIGHTS : d.rights, true);
        view.setBigUint64(statPtr + 16, stdio ? 0n : d.inheriting, true);
        return Errno.SUCCESS;
      } catch (error) {
        return errnoOf(error);
      }
    },

    fd_fdstat_set_flags(fd: number, flags: number): number {
      const d = fds.get(fd);
      if (d === undefined) return Errno.BADF;
      d.flags = flags;
      return Errno.SUCCESS;
    },

    /** Rights can only shrink (WASI's rule); dropping the read or write right stops reads or writes. */
    fd_fdstat_set_rights(fd: number, rights: bigint, inheriting: bigint): number {
      const d = fds.get(fd);
      if (d === undefined) return Errno.BADF;
      if (d.kind === "stdin" || d.kind === "output") return Errno.NOTSUP;
      if ((rights & ~d.rights) !== 0n || (inheriting & ~d.inheriting) !== 0n) return Errno.NOTCAPABLE;
      d.rights = rights;
      d.inheriting = inheriting;
      if (d.kind === "file" || d.kind === "tool") {
        d.readable &&= (rights & Rights.FD_READ) !== 0n;
        d.writable &&= (rights & Rights.FD_WRITE) !== 0n;
      }
      return Errno.SUCCESS;
    },

    fd_filestat_get(fd: number, statPtr: number): number {
      const d = fds.get(fd);
      if (d === undefined) return Errno.BADF;
      try {
        writeFilestat(memory.view, statPtr, d.kind === "file" ? d.file : d.kind === "dir" ? d.dir : d.kind === "tool" ? d.node : undefined);
        return Errno.SUCCESS;
      } catch (error) {
        return errnoOf(error);
      }
    },

    fd_filestat_set_size(fd: number, size: bigint): number {
      const d = fds.get(fd);
      if (d?.kind !== "file" || !d.writable) return d?.kind === "dir" ? Errno.ISDIR : Errno.BADF;
      try {
        fs.truncate(d.file, Number(size));
        return Errno.SUCCESS;
      } catch (error) {
        return errnoOf(error);
      }
    },

    fd_allocate(fd: number, offset: bigint, len: bigint): number {
      const d = fds.get(fd);
      if (d?.kind !== "file" || !d.writable) return d?.kind === "dir" ? Errno.ISDIR : Errno.BADF;
      const end = Number(offset + len);
      try {
        if (end > d.file.size) fs.truncate(d.file, end);
        return Errno.SUCCESS;
      } catch (error) {
        return errnoOf(error);
      }
    },

    fd_filestat_set_times(fd: number, atim: bigint, mtim: bigint, flags: number): number {
      const d = fds.get(fd);
      if (d === undefined) return Errno.BADF;
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
      const d = fds.get(fd);
      if (d === undefined) return Errno.BADF;
      if (d.kind === "stdin" || d.kind === "output" || d.kind === "tool") return Errno.SPIPE;
      return advice > ADVICE_MAX ? Errno.INVAL : Errno.SUCCESS;
    },

    /** Everything is in memory: there is nothing to flush. */
    fd_sync(fd: number): number {
      return fds.get(fd) === undefined ? Errno.BADF : Errno.SUCCESS;
    },

    fd_datasync(fd: number): number {
      return fds.get(fd) === undefined ? Errno.BADF : Errno.SUCCESS;
    },
  };
}
