/*
 * SQLite 3.40 predates its own WASI port (3.41's SQLITE_WASI); these are the same
 * settings. WASI has no advisory locks, so the default VFS is "unix-none": the
 * sandbox is the only process touching its databases. The F_* values only need to
 * compile: unix-none never calls fcntl with them.
 */
#define SQLITE_DEFAULT_UNIX_VFS "unix-none"
#define SQLITE_OMIT_WAL 1
#define SQLITE_OMIT_LOAD_EXTENSION 1
#define SQLITE_THREADSAFE 0
#define SQLITE_MAX_MMAP_SIZE 0
#define F_RDLCK 0
#define F_WRLCK 1
#define F_UNLCK 2
#define F_GETLK 5
#define F_SETLK 6
#define F_SETLKW 7
