/* Implementations of the calls declared in wasi-posix.h; see there for why. */
#include "wasi-posix.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#define UNSUPPORTED(result) \
  do { errno = ENOSYS; return result; } while (0)

pid_t fork(void) { UNSUPPORTED(-1); }
pid_t vfork(void) { UNSUPPORTED(-1); }
int execve(const char *path, char *const argv[], char *const envp[]) { (void)path; (void)argv; (void)envp; UNSUPPORTED(-1); }
int execv(const char *path, char *const argv[]) { (void)path; (void)argv; UNSUPPORTED(-1); }
int execvp(const char *file, char *const argv[]) { (void)file; (void)argv; UNSUPPORTED(-1); }
int pipe(int fds[2]) { (void)fds; UNSUPPORTED(-1); }
int dup(int fd) { (void)fd; UNSUPPORTED(-1); }
int dup2(int fd, int to) { (void)fd; (void)to; UNSUPPORTED(-1); }
FILE *popen(const char *command, const char *mode) { (void)command; (void)mode; UNSUPPORTED(NULL); }
int pclose(FILE *stream) { (void)stream; UNSUPPORTED(-1); }
/* system(NULL) asks whether a shell exists: it does not. */
int system(const char *command) { if (command == NULL) return 0; UNSUPPORTED(-1); }
int kill(pid_t pid, int sig) { (void)pid; (void)sig; UNSUPPORTED(-1); }
int setuid(uid_t uid) { (void)uid; UNSUPPORTED(-1); }
int setgid(gid_t gid) { (void)gid; UNSUPPORTED(-1); }
/* The guest is the only user there is; calling it root would promise powers it lacks. */
uid_t getuid(void) { return 1000; }
uid_t geteuid(void) { return 1000; }
gid_t getgid(void) { return 1000; }
gid_t getegid(void) { return 1000; }
mode_t umask(mode_t mask) { (void)mask; return 022; }
/* WASI files have no permission bits: changing them succeeds and changes nothing. */
int chmod(const char *path, mode_t mode) { (void)mode; return access(path, F_OK); }
int fchmod(int fd, mode_t mode) { (void)fd; (void)mode; return 0; }
int chown(const char *path, uid_t owner, gid_t group) { (void)path; (void)owner; (void)group; UNSUPPORTED(-1); }
int fchown(int fd, uid_t owner, gid_t group) { (void)fd; (void)owner; (void)group; UNSUPPORTED(-1); }
int lchown(const char *path, uid_t owner, gid_t group) { (void)path; (void)owner; (void)group; UNSUPPORTED(-1); }
pid_t getppid(void) { return 1; }

int mkstemp(char *template_) {
  size_t length = strlen(template_);
  if (length < 6 || strcmp(template_ + length - 6, "XXXXXX") != 0) {
    errno = EINVAL;
    return -1;
  }
  static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  for (int attempt = 0; attempt < 100; attempt++) {
    unsigned char random[6];
    arc4random_buf(random, sizeof random);
    for (int i = 0; i < 6; i++) template_[length - 6 + i] = letters[random[i] % (sizeof letters - 1)];
    int fd = open(template_, O_RDWR | O_CREAT | O_EXCL, 0600);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  errno = EEXIST;
  return -1;
}

void flockfile(FILE *stream) { (void)stream; }
void funlockfile(FILE *stream) { (void)stream; }
int ftrylockfile(FILE *stream) { (void)stream; return 0; }

/* There is no agreed scratch folder in a WASI sandbox. */
FILE *tmpfile(void) { UNSUPPORTED(NULL); }

char *realpath(const char *path, char *resolved) {
  if (path == NULL) {
    errno = EINVAL;
    return NULL;
  }
  char joined[PATH_MAX * 2];
  if (path[0] == '/') {
    if (strlen(path) >= sizeof joined) { errno = ENAMETOOLONG; return NULL; }
    strcpy(joined, path);
  } else {
    if (getcwd(joined, PATH_MAX) == NULL) return NULL;
    size_t used = strlen(joined);
    if (used + 1 + strlen(path) >= sizeof joined) { errno = ENAMETOOLONG; return NULL; }
    joined[used] = '/';
    strcpy(joined + used + 1, path);
  }
  /* Collapse "//", "." and ".." segment by segment. */
  char out[PATH_MAX];
  size_t n = 0;
  for (char *segment = strtok(joined, "/"); segment != NULL; segment = strtok(NULL, "/")) {
    if (strcmp(segment, ".") == 0) continue;
    if (strcmp(segment, "..") == 0) {
      while (n > 0 && out[n - 1] != '/') n--;
      if (n > 0) n--;
      continue;
    }
    size_t len = strlen(segment);
    if (n + 1 + len >= sizeof out) { errno = ENAMETOOLONG; return NULL; }
    out[n++] = '/';
    memcpy(out + n, segment, len);
    n += len;
  }
  if (n == 0) out[n++] = '/';
  out[n] = '\0';
  struct stat st;
  if (stat(out, &st) != 0) return NULL;
  if (resolved == NULL) return strdup(out);
  return strcpy(resolved, out);
}

/*
 * wasi-libc starts every command in "/", so relative paths would miss the workspace.
 * Like a shell, the launcher says where the command runs through $PWD.
 */
__attribute__((constructor)) static void enter_working_directory(void) {
  const char *pwd = getenv("PWD");
  if (pwd != NULL && pwd[0] == '/') chdir(pwd);
}
