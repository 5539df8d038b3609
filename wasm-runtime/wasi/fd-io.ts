import { Errno, FdFlags, Rights, Size, Whence } from "./constants.ts";
import type { HostContext } from "./context.ts";
import type { Descriptor, OpenFile, StdinStream, ToolChannel } from "./descriptors.ts";
import { errnoOf } from "./errno.ts";
import { withRights } from "./rights.ts";

/** Reading, writing and seeking: the hot paths, written to allocate as little as possible per call. */
export function fdIoCalls({ memory, fs, fds, tools }: HostContext) {
  /** Reads into the iovecs at `offset` (or the descriptor's position, advancing it, when undefined). */
  function readIovecs(d: OpenFile | StdinStream | ToolChannel, iovs: number, iovsLen: number, offset: number | undefined): number {
    const view = memory.view;
    let total = 0;
    for (let i = 0; i < iovsLen; i++) {
      const into = memory.bytesAt(view.getUint32(iovs + i * Size.IOVEC, true), view.getUint32(iovs + i * Size.IOVEC + 4, true));
      let count: number;
      if (d.kind === "file") {
        count = fs.read(d.file, into, offset ?? d.pos);
        if (offset === undefined) d.pos += count;
        else offset += count;
      } else {
        count = Math.min(into.length, d.data.length - d.pos);
        into.set(d.data.subarray(d.pos, d.pos + count));
        d.pos += count;
      }
      total += count;
      if (count < into.length) break;
    }
    return total;
  }

  /** Writes the iovecs to a file; returns the byte count, or throws only if nothing was written. */
  function writeIovecs(d: OpenFile, iovs: number, iovsLen: number, offset: number | undefined): number {
    const view = memory.view;
    let total = 0;
    try {
      for (let i = 0; i < iovsLen; i++) {
        const bytes = memory.bytesAt(view.getUint32(iovs + i * Size.IOVEC, true), view.getUint32(iovs + i * Size.IOVEC + 4, true));
        if (bytes.length === 0) continue;
        const at = offset ?? (d.flags & FdFlags.APPEND ? d.file.size : d.pos);
        fs.write(d.file, bytes, at);
        if (offset === undefined) d.pos = at + bytes.length;
        else offset += bytes.length;
        total += bytes.length;
      }
    } catch (error) {
      // POSIX reports a partial write as a short count, not an error.
      if (total === 0) throw error;
    }
    return total;
  }

  /** Hands stdout/stderr bytes to the sink as one copy (the sink may keep it). */
  function writeOutput(sink: (bytes: Uint8Array) => void, iovs: number, iovsLen: number): number {
    const view = memory.view;
    if (iovsLen === 1) {
      const bytes = memory.bytesAt(view.getUint32(iovs, true), view.getUint32(iovs + 4, true)).slice();
      if (bytes.length > 0) sink(bytes);
      return bytes.length;
    }
    let total = 0;
    for (let i = 0; i < iovsLen; i++) total += view.getUint32(iovs + i * Size.IOVEC + 4, true);
    if (total === 0) return 0;
    const joined = new Uint8Array(total);
    let at = 0;
    for (let i = 0; i < iovsLen; i++) {
      const part = memory.bytesAt(view.getUint32(iovs + i * Size.IOVEC, true), view.getUint32(iovs + i * Size.IOVEC + 4, true));
      joined.set(part, at);
      at += part.length;
    }
    sink(joined);
    return total;
  }

  return {
    fd_read(fd: number, iovs: number, iovsLen: number, nreadPtr: number): number {
      // Reading a directory is EISDIR, as on POSIX (it holds no read right, which uvwasi reports instead).
      if (fds.get(fd)?.kind === "dir") return Errno.ISDIR;
      const d = withRights(fds, fd, Rights.FD_READ);
      if (typeof d === "number") return d;
      if (d.kind === "output" || d.kind === "dir") return Errno.BADF;
      try {
        // The first read of a tool file makes the call (blocking until the reply is in).
        if (d.kind === "tool") tools!.complete(d);
        memory.view.setUint32(nreadPtr, readIovecs(d, iovs, iovsLen, undefined), true);
        return Errno.SUCCESS;
      } catch (error) {
        return errnoOf(error);
      }
    },

    fd_pread(fd: number, iovs: number, iovsLen: number, offset: bigint, nreadPtr: number): number {
      const d = fds.get(fd);
      if (d?.kind === "output" || d?.kind === "stdin" || d?.kind === "tool") return Errno.SPIPE;
      const file = withRights(fds, fd, Rights.FD_READ | Rights.FD_SEEK);
      if (typeof file === "number") return file;
      if (file.kind !== "file") return Errno.ISDIR;
      try {
        memory.view.setUint32(nreadPtr, readIovecs(file, iovs, iovsLen, Number(offset)), true);
        return Errno.SUCCESS;
      } catch (error) {
        return errnoOf(error);
      }
    },

    fd_write(fd: number, iovs: number, iovsLen: number, nwrittenPtr: number): number {
      const d = withRights(fds, fd, Rights.FD_WRITE);
      if (typeof d === "number") return d;
      try {
        let written: number;
        if (d.kind === "file") written = writeIovecs(d, iovs, iovsLen, undefined);
        else if (d.kind === "output") written = writeOutput(d.sink, iovs, iovsLen);
        else if (d.kind === "tool") written = writeOutput((bytes) => tools!.append(d, bytes), iovs, iovsLen);
        else return Errno.BADF;
        memory.view.setUint32(nwrittenPtr, written, true);
        return Errno.SUCCESS;
      } catch (error) {
        return errnoOf(error);
      }
    },

    fd_pwrite(fd: number, iovs: number, iovsLen: number, offset: bigint, nwrittenPtr: number): number {
      const d = fds.get(fd);
      if (d?.kind === "output" || d?.kind === "stdin" || d?.kind === "tool") return Errno.SPIPE;
      const file = withRights(fds, fd, Rights.FD_WRITE | Rights.FD_SEEK);
      if (typeof file === "number") return file;
      if (file.kind !== "file") return Errno.ISDIR;
      try {
        memory.view.setUint32(nwrittenPtr, writeIovecs(file, iovs, iovsLen, Number(offset)), true);
        return Errno.SUCCESS;
      } catch (error) {
        return errnoOf(error);
      }
    },

    /**
     * A tool file seeks like a read-only file once its reply is in; before the
     * call, only to where the guest already is (buffered I/O such as Python's
     * open(…, "r+") asks for that), since a request is a stream.
     */
    fd_seek(fd: number, offset: bigint, whence: number, newOffsetPtr: number): number {
      if (isStdio(fds.get(fd))) return Errno.SPIPE;
      const d = withRights(fds, fd, Rights.FD_SEEK);
      if (typeof d === "number") return d;
      if (d.kind !== "file" && d.kind !== "tool") return Errno.BADF;
      let base: number;
      if (whence === Whence.SET) base = 0;
      else if (whence === Whence.CUR) base = d.pos;
      else if (whence === Whence.END) base = d.kind === "file" ? d.file.size : d.request ? d.pos : d.data.length;
      else return Errno.INVAL;
      const pos = base + Number(offset);
      if (pos < 0) return Errno.INVAL;
      if (d.kind === "tool" && d.request && pos !== d.pos) return Errno.SPIPE;
      try {
        memory.view.setBigUint64(newOffsetPtr, BigInt(pos), true);
        d.pos = pos;
        return Errno.SUCCESS;
      } catch (error) {
        return errnoOf(error);
      }
    },

    fd_tell(fd: number, offsetPtr: number): number {
      if (isStdio(fds.get(fd))) return Errno.SPIPE;
      const d = withRights(fds, fd, Rights.FD_TELL);
      if (typeof d === "number") return d;
      if (d.kind !== "file" && d.kind !== "tool") return Errno.BADF;
      try {
        memory.view.setBigUint64(offsetPtr, BigInt(d.pos), true);
        return Errno.SUCCESS;
      } catch (error) {
        return errnoOf(error);
      }
    },
  };
}

/** Stdio is a terminal: it cannot seek (ESPIPE, as on POSIX), whatever its rights. */
function isStdio(d: Descriptor | undefined): boolean {
  return d?.kind === "stdin" || d?.kind === "output";
}
