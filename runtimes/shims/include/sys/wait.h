/* WASI has no child processes: waiting reports that there are none. */
#ifndef PLAYPEN_SHIM_SYS_WAIT_H
#define PLAYPEN_SHIM_SYS_WAIT_H
#include <errno.h>
#include <sys/types.h>

#define WNOHANG 1
#define WUNTRACED 2
#define WEXITSTATUS(s) (((s) & 0xff00) >> 8)
#define WTERMSIG(s) ((s) & 0x7f)
#define WIFEXITED(s) (WTERMSIG(s) == 0)
#define WIFSIGNALED(s) (((signed char)(((s) & 0x7f) + 1) >> 1) > 0)
#define WIFSTOPPED(s) (((s) & 0xff) == 0x7f)

static inline pid_t waitpid(pid_t pid, int *status, int options) { (void)pid; (void)status; (void)options; errno = ECHILD; return -1; }
static inline pid_t wait(int *status) { (void)status; errno = ECHILD; return -1; }
#endif
