import { existing } from "../vfs/index.ts";
import { Errno, LookupFlags, Rights } from "./constants.ts";
import type { HostContext } from "./context.ts";
import { errnoOf } from "./errno.ts";
import { requestedTimes, writeFilestat } from "./filestat.ts";
import { locateAt } from "./resolve.ts";

const SLASH = 0x2f;

/**
 * Calls naming a path relative to a directory descriptor. Each resolves the path
 * fully (`..` and symlinks), asks the policy about the result, and only then acts
 * or reports what it found. Operations on a name itself (unlink, rename,
 * readlink, mkdir…) do not follow a final symlink; the others follow it on request.
 * In the tool mount only path_filestat_get answers; `permits` refuses the rest.
 */
export function pathCalls(context: HostContext) {
  const { memory, fs, permits, permitsMove, tools } = context;

  /**
   * Unlinking `name/` fails: EISDIR when the name itself is a directory,
   * ENOTDIR when it is anything else — a symlink to a directory included,
   * which the trailing slash would otherwise have followed (as Linux answers).
   */
  function unlinkNamingDirectory(fd: number, pathPtr: number, pathLen: number): number {
    let len = pathLen;
    while (len > 1 && memory.bytes[pathPtr + len - 1] === SLASH) len--;
    const name = locateAt(context, fd, pathPtr, len, false, Rights.PATH_UNLINK_FILE);
    if (typeof name === "number") return name;
    return name.node === undefined ? Errno.NOENT : name.node.kind === "dir" ? Errno.ISDIR : Errno.NOTDIR;
  }

  return {
    path_filestat_get(fd: number, flags: number, pathPtr: number, pathLen: number, statPtr: number): number {
      try {
        const at = locateAt(context, fd, pathPtr, pathLen, (flags & LookupFlags.SYMLINK_FOLLOW) !== 0, Rights.PATH_FILESTAT_GET);
        if (typeof at === "number") return at;
        if (tools?.covers(at.path)) {
          const node = tools.nodeAt(at.path);
          if (node === undefined) return Errno.NOENT;
          writeFilestat(memory.view, statPtr, node);
          return Errno.SUCCESS;
        }
        if (!permits(at.path, "read", "path_filestat_get")) return Errno.ACCES;
        writeFilestat(memory.view, statPtr, existing(at));
        return Errno.SUCCESS;
      } catch (error) {
        return errnoOf(error);
      }
    },

    path_filestat_set_times(
      fd: number,
      flags: number,
      pathPtr: number,
      pathLen: number,
      atim: bigint,
      mtim: bigint,
      fstFlags: number,
    ): number {
      try {
        const times = requestedTimes(atim, mtim, fstFlags, fs.now);
        if (typeof times === "number") return times;
        const at = locateAt(context, fd, pathPtr, pathLen, (flags & LookupFlags.SYMLINK_FOLLOW) !== 0, Rights.PATH_FILESTAT_SET_TIMES);
        if (typeof at === "number") return at;
        if (!permits(at.path, "write", "path_filestat_set_times")) return Errno.ACCES;
        fs.setTimes(existing(at), times.atim, times.mtim);
        return Errno.SUCCESS;
      } catch (error) {
        return errnoOf(error);
      }
    },

    path_create_directory(fd: number, pathPtr: number, pathLen: number): number {
      try {
        const at = locateAt(context, fd, pathPtr, pathLen, false, Rights.PATH_CREATE_DIRECTORY);
        if (typeof at === "number") return at;
        if (!permits(at.path, "write", "path_create_directory")) return Errno.ACCES;
        fs.mkdir(at);
        return Errno.SUCCESS;
      } catch (error) {
        return errnoOf(error);
      }
    },

    path_remove_directory(fd: number, pathPtr: number, pathLen: number): number {
      try {
        const at = locateAt(context, fd, pathPtr, pathLen, false, Rights.PATH_REMOVE_DIRECTORY);
        if (typeof at === "number") return at;
        if (!permits(at.path, "write", "path_remove_directory")) return Errno.ACCES;
        fs.rmdir(at);
        return Errno.SUCCESS;
      } catch (error) {
        return errnoOf(error);
      }
    },

    path_unlink_file(fd: number, pathPtr: number, pathLen: number): number {
      try {
        const at = locateAt(context, fd, pathPtr, pathLen, false, Rights.PATH_UNLINK_FILE);
        if (typeof at === "number") return at;
        if (!permits(at.path, "write", "path_unlink_file")) return Errno.ACCES;
        if (at.dirOnly && !at.error) return unlinkNamingDirectory(fd, pathPtr, pathLen);
        fs.unlink(at);
        return Errno.SUCCESS;
      } catch (error) {
        return errnoOf(error);
      }
    },

    path_rename(fd: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number): number {
      try {
        const from = locateAt(context, fd, oldPtr, oldLen, false, Rights.PATH_RENAME_SOURCE);
        if (typeof from === "number") return from;
        const to = locateAt(context, newFd, newPtr, newLen, false, Rights.PATH_RENAME_TARGET);
        if (typeof to === "number") return to;
        if (!permitsMove(from.path, from.node, to.path, "path_rename")) return Errno.ACCES;
        fs.rename(from, to);
        return Errno.SUCCESS;
      } catch (error) {
        return errnoOf(error);
      }
    },

    /**
     * The link's target is stored as given, and checked again whenever something
     * resolves through it; creating the link is a move of its target (resolved
     * from the link's folder, as it will be) to the link's path.
     */
    path_symlink(targetPtr: number, targetLen: number, fd: number, pathPtr: number, pathLen: number): number {
      try {
        const target = memory.string(targetPtr, targetLen);
        const at = locateAt(context, fd, pathPtr, pathLen, false, Rights.PATH_SYMLINK);
        if (typeof at === "number") return at;
        if (!permits(at.path, "write", "path_symlink")) return Errno.ACCES;
        const resolved = fs.locate(target, { from: at.parent ?? fs.root, follow: true });
        if (!permitsMove(resolved.path, resolved.node, at.path, "path_symlink")) return Errno.ACCES;
        fs.symlink(target, at);
        return Errno.SUCCESS;
      } catch (error) {
        return errnoOf(error);
      }
    },

    path_readlink(fd: number, pathPtr: number, pathLen: number, buf: number, bufLen: number, bufusedPtr: number): number {
      try {
        const at = locateAt(context, fd, pathPtr, pathLen, false, Rights.PATH_READLINK);
        if (typeof at === "number") return at;
        if (!permits(at.path, "read", "path_readlink")) return Errno.ACCES;
        const written = memory.writeString(buf, bufLen, fs.readlink(at));
        memory.view.setUint32(bufusedPtr, written, true);
        return Errno.SUCCESS;
      } catch (error) {
        return errnoOf(error);
      }
    },

    /**
     * A hard link is a second name for the same file: decided as a move of the
     * source to the new name (both readable and writable, every decision kept),
     * so no rule can be walked around through the other name.
     */
    path_link(oldFd: number, oldFlags: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number): number {
      try {
        const from = locateAt(context, oldFd, oldPtr, oldLen, (oldFlags & LookupFlags.SYMLINK_FOLLOW) !== 0, Rights.PATH_LINK_SOURCE);
        if (typeof from === "number") return from;
        const to = locateAt(context, newFd, newPtr, newLen, false, Rights.PATH_LINK_TARGET);
        if (typeof to === "number") return to;
        if (!permitsMove(from.path, from.node, to.path, "path_link")) return Errno.ACCES;
        fs.link(from, to);
        return Errno.SUCCESS;
      } catch (error) {
        return errnoOf(error);
      }
    },
  };
}
