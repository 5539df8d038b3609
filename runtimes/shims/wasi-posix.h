/*
 * Declarations wasi-libc (Debian 2022-05) leaves out because WASI cannot do them:
 * processes, pipes, permissions, users. Force-included (-include) into every runtime
 * build so upstream sources compile unchanged; wasi-posix.c implements each one as a
 * clean failure (ENOSYS) or, where a harmless answer exists, that answer.
 */
#ifndef PLAYPEN_SHIM_WASI_POSIX_H
#define PLAYPEN_SHIM_WASI_POSIX_H
#include <stdio.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif
pid_t fork(void);
pid_t vfork(void);
int execve(const char *path, char *const argv[], char *const envp[]);
int execv(const char *path, char *const argv[]);
int execvp(const char *file, char *const argv[]);
int pipe(int fds[2]);
int dup(int fd);
int dup2(int fd, int to);
FILE *popen(const char *command, const char *mode);
int pclose(FILE *stream);
int system(const char *command);
int kill(pid_t pid, int sig);
int setuid(uid_t uid);
int setgid(gid_t gid);
uid_t getuid(void);
uid_t geteuid(void);
gid_t getgid(void);
gid_t getegid(void);
mode_t umask(mode_t mask);
int chmod(const char *path, mode_t mode);
int fchmod(int fd, mode_t mode);
int chown(const char *path, uid_t owner, gid_t group);
int fchown(int fd, uid_t owner, gid_t group);
int lchown(const char *path, uid_t owner, gid_t group);
pid_t getppid(void);
int mkstemp(char *template_);
FILE *tmpfile(void);
/* One thread: there is nobody to lock a stream against. */
void flockfile(FILE *stream);
void funlockfile(FILE *stream);
int ftrylockfile(FILE *stream);
/* Lexical: WASI paths have no symlinks outside the guest's view worth resolving here. */
char *realpath(const char *path, char *resolved);
#ifdef __cplusplus
}
#endif
#endif
