import type { FileNode } from "../vfs/index.ts";
import { Errno, FdFlags, LookupFlags, OFlags, Rights } from "./constants.ts";
import type { HostContext } from "./context.ts";
import { Granted, type Descriptor, type OpenDir } from "./descriptors.ts";
import { errnoOf, errnoOfCode } from "./errno.ts";
import { locateAt } from "./resolve.ts";
import { DIR_INHERITING, DIR_RIGHTS, FILE_RIGHTS } from "./rights.ts";

const READ_RIGHTS = Rights.FD_READ | Rights.FD_READDIR;
const WRITE_RIGHTS = Rights.FD_WRITE | Rights.FD_ALLOCATE | Rights.FD_FILESTAT_SET_SIZE;

/**
 * path_open. The access asked of the policy follows from the call: reading when
 * the read or readdir right is requested; writing when a write right is, or
 * O_TRUNC, O_APPEND, or O_CREAT of a file that does not exist yet. An open with
 * neither (a bare O_SEARCH) counts as reading, since it reveals what is there.
 * Paths in the tool mount open the mount's listing or a tool's channel instead.
 */
export function pathOpenCalls(context: HostContext) {
  const { memory, fs, fds, permits, tools } = context;

  /** Hands the descriptor (or the errno of a failed open) to the guest. */
  function install(descriptor: Descriptor | number, fdPtr: number): number {
    if (typeof descriptor === "number") return descriptor;
    const newFd = fds.add(descriptor);
    if (newFd < 0) return Errno.MFILE;
    memory.view.setUint32(fdPtr, newFd, true);
    return Errno.SUCCESS;
  }

  return {
    path_open(
      fd: number,
      lookupFlags: number,
      pathPtr: number,
      pathLen: number,
      oflags: number,
      rights: bigint,
      inheriting: bigint,
      fdflags: number,
      fdPtr: number,
    ): number {
      let opened: FileNode | undefined;
      try {
        const exclusive = (oflags & OFlags.CREAT) !== 0 && (oflags & OFlags.EXCL) !== 0;
        // O_CREAT|O_EXCL never follows a final symlink (POSIX), so it cannot create through one.
        const follow = (lookupFlags & LookupFlags.SYMLINK_FOLLOW) !== 0 && !exclusive;
        // What the directory must hold (as uvwasi asks): the right to open, create or truncate, and to hand down every right asked for.
        const needed =
          Rights.PATH_OPEN | (oflags & OFlags.CREAT ? Rights.PATH_CREATE_FILE : 0n) | (oflags & OFlags.TRUNC ? Rights.PATH_FILESTAT_SET_SIZE : 0n);
        const at = locateAt(context, fd, pathPtr, pathLen, follow, needed);
        if (typeof at === "number") return at;
        if (((rights | inheriting) & ~(fds.get(fd) as OpenDir).inheriting) !== 0n) return Errno.NOTCAPABLE;
        if (tools?.covers(at.path)) return install(tools.open(at.path, oflags, rights, inheriting, fdflags), fdPtr);

        const creating = (oflags & OFlags.CREAT) !== 0 && at.node === undefined;
        const read = (rights & READ_RIGHTS) !== 0n;
        const write =
          creating || (oflags & OFlags.TRUNC) !== 0 || (fdflags & FdFlags.APPEND) !== 0 || (rights & WRITE_RIGHTS) !== 0n;
        if ((read || !write) && !permits(at.path, "read", "path_open")) return Errno.ACCES;
        if (write && !permits(at.path, "write", "path_open")) return Errno.ACCES;
        if (at.error) return errnoOfCode(at.error);

        let node = at.node;
        if (node === undefined) {
          if (!creating) return Errno.NOENT;
          if (oflags & OFlags.DIRECTORY) return Errno.INVAL;
          node = fs.createFile(at);
        } else if (exclusive) {
          return Errno.EXIST;
        }

        let descriptor: Descriptor;
        const granted = (read || !write ? Granted.READ : 0) | (write ? Granted.WRITE : 0);
        if (node.kind === "symlink") {
          return Errno.LOOP;
        } else if (node.kind === "dir") {
          if (write) return Errno.ISDIR;
          descriptor = { kind: "dir", dir: node, preopen: undefined, flags: fdflags, rights: rights & DIR_RIGHTS, inheriting: inheriting & DIR_INHERITING, granted };
        } else {
          if (oflags & OFlags.DIRECTORY) return Errno.NOTDIR;
          fs.open(node, write);
          opened = node;
          if (oflags & OFlags.TRUNC) fs.truncate(node, 0);
          descriptor = {
            kind: "file",
            file: node,
            pos: 0,
            flags: fdflags,
            rights: rights & FILE_RIGHTS,
            inheriting: 0n,
            granted,
          };
        }
        const result = install(descriptor, fdPtr);
        if (result === Errno.SUCCESS) opened = undefined;
        return result;
      } catch (error) {
        if (opened) fs.close(opened);
        return errnoOf(error);
      }
    },
  };
}
