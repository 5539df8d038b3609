import { Errno, FileType, Rights } from "./constants.ts";
import type { Descriptor, FdTable } from "./descriptors.ts";

const R = Rights;

/**
 * The rights a regular file's descriptor can hold, and a directory's: the
 * same sets as Node's WASI (uvwasi), so a guest sees the rights it would see
 * there. A path_open asks for rights; the descriptor gets those its kind can hold.
 */
export const FILE_RIGHTS =
  R.FD_DATASYNC | R.FD_READ | R.FD_SEEK | R.FD_FDSTAT_SET_FLAGS | R.FD_SYNC | R.FD_TELL | R.FD_WRITE | R.FD_ADVISE |
  R.FD_ALLOCATE | R.FD_FILESTAT_GET | R.FD_FILESTAT_SET_SIZE | R.FD_FILESTAT_SET_TIMES | R.POLL_FD_READWRITE;
export const DIR_RIGHTS =
  R.FD_FDSTAT_SET_FLAGS | R.FD_SYNC | R.FD_ADVISE | R.PATH_CREATE_DIRECTORY | R.PATH_CREATE_FILE | R.PATH_LINK_SOURCE |
  R.PATH_LINK_TARGET | R.PATH_OPEN | R.FD_READDIR | R.PATH_READLINK | R.PATH_RENAME_SOURCE | R.PATH_RENAME_TARGET |
  R.PATH_FILESTAT_GET | R.PATH_FILESTAT_SET_SIZE | R.PATH_FILESTAT_SET_TIMES | R.FD_FILESTAT_GET | R.FD_FILESTAT_SET_TIMES |
  R.PATH_SYMLINK | R.PATH_REMOVE_DIRECTORY | R.PATH_UNLINK_FILE | R.POLL_FD_READWRITE;
/** What a directory can hand down to what is opened through it: everything a file or a directory can hold. */
export const DIR_INHERITING = DIR_RIGHTS | FILE_RIGHTS;
/**
 * Stdin is all given before the run, so it is reported as Node's WASI reports a
 * pipe (a stream socket, uvwasi's socket rights): not a terminal, so CPython's
 * input() reads its last line whole instead of cutting the character a
 * terminal's newline would have been.
 */
interface StdioStat {
  readonly filetype: number;
  readonly rights: bigint;
  readonly inheriting: bigint;
}

export const STDIN_STAT: StdioStat = {
  filetype: FileType.SOCKET_STREAM,
  rights: R.FD_READ | R.FD_FDSTAT_SET_FLAGS | R.FD_WRITE | R.FD_FILESTAT_GET | R.POLL_FD_READWRITE | R.SOCK_SHUTDOWN | R.SOCK_ACCEPT,
  inheriting: R.ALL,
};
/**
 * Stdout and stderr are shown as they are written, so they are reported as
 * Node's WASI reports a terminal (a character device that cannot seek): C stdio
 * then line-buffers, and output a run's time limit cuts short is not lost in a buffer.
 */
export const OUTPUT_STAT: StdioStat = {
  filetype: FileType.CHARACTER_DEVICE,
  rights: R.FD_READ | R.FD_FDSTAT_SET_FLAGS | R.FD_WRITE | R.FD_FILESTAT_GET | R.POLL_FD_READWRITE,
  inheriting: 0n,
};

/** What fdstat and filestat report for a standard stream, or undefined for any other descriptor. */
export function stdioStat(d: Descriptor): StdioStat | undefined {
  return d.kind === "stdin" ? STDIN_STAT : d.kind === "output" ? OUTPUT_STAT : undefined;
}

export function rightsOf(d: Descriptor): bigint {
  return d.kind === "stdin" ? STDIN_STAT.rights : d.kind === "output" ? OUTPUT_STAT.rights : d.rights;
}

/**
 * Descriptor `fd` when it holds every right in `needed`: BADF when there is
 * none, NOTCAPABLE when it lacks a right (checked before what kind it is, as
 * uvwasi and wasmtime do, so a file given to a path call is NOTCAPABLE).
 */
export function withRights(fds: FdTable, fd: number, needed: bigint): Descriptor | number {
  const d = fds.get(fd);
  if (d === undefined) return Errno.BADF;
  return (rightsOf(d) & needed) === needed ? d : Errno.NOTCAPABLE;
}
