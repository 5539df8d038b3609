/*
 * What busybox's sources expect from a Linux libc and wasi-libc leaves out.
 * Force-included (after wasi-posix.h) into every busybox source; busybox-wasi.c
 * implements each call as a clean failure or, where one exists, a harmless answer.
 */
#ifndef PLAYPEN_SHIM_BUSYBOX_WASI_H
#define PLAYPEN_SHIM_BUSYBOX_WASI_H
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

/* Socket kinds libbb.h checks fit in a byte; no applet here opens a socket. */
#ifndef SOCK_RAW
#define SOCK_RAW 3
#endif
#ifndef SOCK_RDM
#define SOCK_RDM 4
#endif
#ifndef SOCK_SEQPACKET
#define SOCK_SEQPACKET 5
#endif

/* Terminal flags libbb names when it sets a terminal up (which fails: there is none). */
#define ONLCR 4
#define IXOFF 4096
#define IXANY 2048
#define TCIFLUSH 0
#define TCOFLUSH 1
#define TCIOFLUSH 2
int tcflush(int fd, int queue);

/*
 * Signals: a WASI guest receives none, so handlers are accepted and never run,
 * and masks change nothing. wasi-libc declares these only for its upstream build.
 */
struct sigaction {
  void (*sa_handler)(int);
  sigset_t sa_mask;
  int sa_flags;
};
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000
#ifndef SIG_BLOCK
#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
#endif
int sigaction(int sig, const struct sigaction *act, struct sigaction *old);
int sigemptyset(sigset_t *set);
int sigfillset(sigset_t *set);
int sigaddset(sigset_t *set, int sig);
int sigdelset(sigset_t *set, int sig);
int sigismember(const sigset_t *set, int sig);
int sigprocmask(int how, const sigset_t *set, sigset_t *old);
int sigsuspend(const sigset_t *set);

/* Opening sockets: WASI preview 1 cannot (libbb's helpers are linked, never called here). */
int socket(int domain, int type, int protocol);
int bind(int fd, const struct sockaddr *addr, socklen_t length);
int listen(int fd, int backlog);
ssize_t sendto(int fd, const void *data, size_t length, int flags, const struct sockaddr *to, socklen_t to_length);

/*
 * Debian's wasi-libc (2022-05) fails utimensat/futimens with EINVAL whenever a
 * time is UTIME_NOW or UTIME_OMIT (touch passes both); these resolve them to
 * explicit times first.
 */
int playpen_utimensat(int dirfd, const char *path, const struct timespec times[2], int flags);
int playpen_futimens(int fd, const struct timespec times[2]);
#define utimensat playpen_utimensat
#define futimens playpen_futimens

/*
 * Output goes to a pipe, a file or the page, never to a terminal the guest
 * controls; WASI shows stdout as a character device, which would make ls print
 * columns into a pipe. No descriptor is a terminal.
 */
int isatty(int fd);

/* Processes, users and devices: none of them exist in the sandbox. */
int execlp(const char *file, const char *arg, ...);
pid_t setsid(void);
int seteuid(uid_t uid);
int setegid(gid_t gid);
int getgroups(int size, gid_t list[]);
int initgroups(const char *user, gid_t group);
int mknod(const char *path, mode_t mode, dev_t dev);
int clock_settime(clockid_t clock, const struct timespec *ts);
struct timeval;
int settimeofday(const struct timeval *tv, const void *tz);
int getpagesize(void);
int fchdir(int fd);
int chroot(const char *path);
/* The name-making half of mkstemp: the caller creates the file (mktemp -u, mkdtemp). */
char *mktemp(char *template_);
#endif
