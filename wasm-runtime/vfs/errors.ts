/**
 * Why a filesystem operation failed, named after the WASI errno it becomes
 * (the host maps the name to the number; the VFS stays independent of WASI).
 */
export type FsErrorCode =
  | "EBADF"
  | "EBUSY"
  | "EEXIST"
  | "EFBIG"
  | "EINVAL"
  | "EISDIR"
  | "ELOOP"
  | "ENAMETOOLONG"
  | "ENOENT"
  | "ENOSPC"
  | "ENOTDIR"
  | "ENOTEMPTY"
  | "ENOTSUP"
  | "EPERM"
  | "EROFS"
  | "EXDEV";

const DESCRIPTIONS: Record<FsErrorCode, string> = {
  EBADF: "bad file descriptor",
  EBUSY: "resource busy (a mount point or the root)",
  EEXIST: "file exists",
  EFBIG: "file too large",
  EINVAL: "invalid argument",
  EISDIR: "is a directory",
  ELOOP: "too many levels of symbolic links",
  ENAMETOOLONG: "file name too long",
  ENOENT: "no such file or directory",
  ENOSPC: "no space left (quota exceeded)",
  ENOTDIR: "not a directory",
  ENOTEMPTY: "directory not empty",
  ENOTSUP: "operation not supported",
  EPERM: "operation not permitted (a hard link to a directory)",
  EROFS: "read-only file system",
  EXDEV: "cross-device link (a hard link out of its mount)",
};

export class FsError extends Error {
  readonly code: FsErrorCode;
  readonly path: string | undefined;

  constructor(code: FsErrorCode, path?: string) {
    super(`${code}: ${DESCRIPTIONS[code]}${path === undefined ? "" : ` (${path})`}`);
    this.name = "FsError";
    this.code = code;
    this.path = path;
  }
}
