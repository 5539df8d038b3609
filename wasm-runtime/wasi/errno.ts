import { FsError, type FsErrorCode } from "../vfs/index.ts";
import { Errno } from "./constants.ts";

const FS_ERRNO: Record<FsErrorCode, number> = {
  EBADF: Errno.BADF,
  EBUSY: Errno.BUSY,
  EEXIST: Errno.EXIST,
  EFBIG: Errno.FBIG,
  EINVAL: Errno.INVAL,
  EISDIR: Errno.ISDIR,
  ELOOP: Errno.LOOP,
  ENAMETOOLONG: Errno.NAMETOOLONG,
  ENOENT: Errno.NOENT,
  ENOSPC: Errno.NOSPC,
  ENOTDIR: Errno.NOTDIR,
  ENOTEMPTY: Errno.NOTEMPTY,
  ENOTSUP: Errno.NOTSUP,
  EPERM: Errno.PERM,
  EROFS: Errno.ROFS,
  EXDEV: Errno.XDEV,
};

export function errnoOfCode(code: FsErrorCode): number {
  return FS_ERRNO[code];
}

/**
 * The errno a failed call returns. A RangeError is a guest pointer outside its
 * memory (EFAULT); anything else is a host bug or the exit signal, and propagates.
 */
export function errnoOf(error: unknown): number {
  if (error instanceof FsError) return FS_ERRNO[error.code];
  if (error instanceof RangeError) return Errno.FAULT;
  throw error;
}
