/** WASI preview1 numbers (from wasi-libc's wasi/api.h), the ones this host uses. */

export const Errno = {
  SUCCESS: 0,
  ACCES: 2,
  BADF: 8,
  BUSY: 10,
  EXIST: 20,
  FAULT: 21,
  FBIG: 22,
  INVAL: 28,
  ISDIR: 31,
  LOOP: 32,
  MFILE: 33,
  NAMETOOLONG: 37,
  NOENT: 44,
  NOSPC: 51,
  NOSYS: 52,
  NOTDIR: 54,
  NOTEMPTY: 55,
  NOTSOCK: 57,
  NOTSUP: 58,
  PERM: 63,
  ROFS: 69,
  SPIPE: 70,
  XDEV: 75,
  NOTCAPABLE: 76,
} as const;

export const FileType = {
  CHARACTER_DEVICE: 2,
  DIRECTORY: 3,
  REGULAR_FILE: 4,
  SOCKET_STREAM: 6,
  SYMBOLIC_LINK: 7,
} as const;

const right = (bit: number) => 1n << BigInt(bit);
export const Rights = {
  FD_DATASYNC: right(0),
  FD_READ: right(1),
  FD_SEEK: right(2),
  FD_FDSTAT_SET_FLAGS: right(3),
  FD_SYNC: right(4),
  FD_TELL: right(5),
  FD_WRITE: right(6),
  FD_ADVISE: right(7),
  FD_ALLOCATE: right(8),
  PATH_CREATE_DIRECTORY: right(9),
  PATH_CREATE_FILE: right(10),
  PATH_LINK_SOURCE: right(11),
  PATH_LINK_TARGET: right(12),
  PATH_OPEN: right(13),
  FD_READDIR: right(14),
  PATH_READLINK: right(15),
  PATH_RENAME_SOURCE: right(16),
  PATH_RENAME_TARGET: right(17),
  PATH_FILESTAT_GET: right(18),
  PATH_FILESTAT_SET_SIZE: right(19),
  PATH_FILESTAT_SET_TIMES: right(20),
  FD_FILESTAT_GET: right(21),
  FD_FILESTAT_SET_SIZE: right(22),
  FD_FILESTAT_SET_TIMES: right(23),
  PATH_SYMLINK: right(24),
  PATH_REMOVE_DIRECTORY: right(25),
  PATH_UNLINK_FILE: right(26),
  POLL_FD_READWRITE: right(27),
  SOCK_SHUTDOWN: right(28),
  SOCK_ACCEPT: right(29),
  ALL: right(30) - 1n,
} as const;

export const OFlags = { CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 } as const;
export const FdFlags = { APPEND: 1 } as const;
export const LookupFlags = { SYMLINK_FOLLOW: 1 } as const;
export const FstFlags = { ATIM: 1, ATIM_NOW: 2, MTIM: 4, MTIM_NOW: 8 } as const;
export const Whence = { SET: 0, CUR: 1, END: 2 } as const;
export const ClockId = { REALTIME: 0, MONOTONIC: 1, PROCESS_CPUTIME: 2, THREAD_CPUTIME: 3 } as const;
export const EventType = { CLOCK: 0, FD_READ: 1, FD_WRITE: 2 } as const;
export const SUBSCRIPTION_CLOCK_ABSTIME = 1;
export const EVENT_FD_READWRITE_HANGUP = 1;
export const PREOPENTYPE_DIR = 0;

/** Struct sizes in guest memory. */
export const Size = { FDSTAT: 24, FILESTAT: 64, DIRENT: 24, SUBSCRIPTION: 48, EVENT: 32, IOVEC: 8 } as const;
