/* Implementations of the calls declared in busybox-wasi.h; see there for why. */
#include "busybox-wasi.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#undef utimensat
#undef futimens

#define UNSUPPORTED(result) \
  do { errno = ENOSYS; return result; } while (0)

int tcflush(int fd, int queue) { (void)fd; (void)queue; errno = ENOTTY; return -1; }

int sigaction(int sig, const struct sigaction *act, struct sigaction *old) {
  (void)sig; (void)act;
  if (old != NULL) memset(old, 0, sizeof *old);
  return 0;
}
int sigemptyset(sigset_t *set) { *set = 0; return 0; }
int sigfillset(sigset_t *set) { *set = (sigset_t)~0; return 0; }
int sigaddset(sigset_t *set, int sig) { (void)set; (void)sig; return 0; }
int sigdelset(sigset_t *set, int sig) { (void)set; (void)sig; return 0; }
int sigismember(const sigset_t *set, int sig) { (void)set; (void)sig; return 0; }
int sigprocmask(int how, const sigset_t *set, sigset_t *old) {
  (void)how; (void)set;
  if (old != NULL) *old = 0;
  return 0;
}
/* Waiting for a signal that can never come would hang the guest. */
int sigsuspend(const sigset_t *set) { (void)set; errno = EINTR; return -1; }

/* One time as wasi-libc accepts it: UTIME_NOW is now, UTIME_OMIT keeps the file's own. */
static struct timespec explicit_time(struct timespec wanted, struct timespec current) {
  if (wanted.tv_nsec == UTIME_OMIT) return current;
  if (wanted.tv_nsec == UTIME_NOW) clock_gettime(CLOCK_REALTIME, &wanted);
  return wanted;
}

int playpen_utimensat(int dirfd, const char *path, const struct timespec times[2], int flags) {
  if (times == NULL) return utimensat(dirfd, path, NULL, flags);
  struct stat st;
  if (fstatat(dirfd, path, &st, flags) != 0) return -1;
  struct timespec resolved[2] = {explicit_time(times[0], st.st_atim), explicit_time(times[1], st.st_mtim)};
  return utimensat(dirfd, path, resolved, flags);
}

int playpen_futimens(int fd, const struct timespec times[2]) {
  if (times == NULL) return futimens(fd, NULL);
  struct stat st;
  if (fstat(fd, &st) != 0) return -1;
  struct timespec resolved[2] = {explicit_time(times[0], st.st_atim), explicit_time(times[1], st.st_mtim)};
  return futimens(fd, resolved);
}

int isatty(int fd) { (void)fd; errno = ENOTTY; return 0; }

int socket(int domain, int type, int protocol) { (void)domain; (void)type; (void)protocol; UNSUPPORTED(-1); }
int bind(int fd, const struct sockaddr *addr, socklen_t length) { (void)fd; (void)addr; (void)length; UNSUPPORTED(-1); }
int listen(int fd, int backlog) { (void)fd; (void)backlog; UNSUPPORTED(-1); }
ssize_t sendto(int fd, const void *data, size_t length, int flags, const struct sockaddr *to, socklen_t to_length) {
  (void)fd; (void)data; (void)length; (void)flags; (void)to; (void)to_length;
  UNSUPPORTED(-1);
}

int execlp(const char *file, const char *arg, ...) { (void)file; (void)arg; UNSUPPORTED(-1); }
pid_t setsid(void) { UNSUPPORTED(-1); }
int seteuid(uid_t uid) { (void)uid; UNSUPPORTED(-1); }
int setegid(gid_t gid) { (void)gid; UNSUPPORTED(-1); }
int getgroups(int size, gid_t list[]) { (void)size; (void)list; return 0; }
int initgroups(const char *user, gid_t group) { (void)user; (void)group; UNSUPPORTED(-1); }
int mknod(const char *path, mode_t mode, dev_t dev) { (void)path; (void)mode; (void)dev; UNSUPPORTED(-1); }
int clock_settime(clockid_t clock, const struct timespec *ts) { (void)clock; (void)ts; errno = EPERM; return -1; }
int settimeofday(const struct timeval *tv, const void *tz) { (void)tv; (void)tz; errno = EPERM; return -1; }
int getpagesize(void) { return 65536; }
int fchdir(int fd) { (void)fd; UNSUPPORTED(-1); }
int chroot(const char *path) { (void)path; UNSUPPORTED(-1); }

char *mktemp(char *template_) {
  size_t length = strlen(template_);
  if (length < 6 || strcmp(template_ + length - 6, "XXXXXX") != 0) {
    errno = EINVAL;
    template_[0] = '\0';
    return template_;
  }
  static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  struct stat st;
  for (int attempt = 0; attempt < 100; attempt++) {
    unsigned char random[6];
    arc4random_buf(random, sizeof random);
    for (int i = 0; i < 6; i++) template_[length - 6 + i] = letters[random[i] % (sizeof letters - 1)];
    if (lstat(template_, &st) != 0 && errno == ENOENT) return template_;
  }
  errno = EEXIST;
  template_[0] = '\0';
  return template_;
}
