// A bounded fork bomb: forks children that only wait, until fork fails or
// BOUND children exist, then kills and reaps them all. Reaching the bound means
// no process limit stopped it. Usage: probe-fork-bomb BOUND
#include "probe.h"

#ifdef __wasi__
// WASI preview1 has no call that creates a process: there is nothing to fork with.
int main(int argc, char **argv) {
  need_args(argc, 1, "probe-fork-bomb BOUND");
  verdict("blocked", "no fork in WASI: preview1 has no call that creates a process");
  return 0;
}
#else
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
  need_args(argc, 1, "probe-fork-bomb BOUND");
  long bound = strtol(argv[1], NULL, 10);
  if (bound <= 0 || bound > 4096) {
    fprintf(stderr, "probe-fork-bomb: BOUND must be 1..4096\n");
    return 2;
  }
  pid_t *children = calloc((size_t)bound, sizeof *children);
  long made = 0;
  int fork_errno = 0;
  fflush(stdout);  // a child must not flush the parent's buffer again
  while (made < bound) {
    pid_t pid = fork();
    if (pid < 0) {
      fork_errno = errno;
      break;
    }
    if (pid == 0) {
      // Belt and braces: a child dies with its parent and on its own after 20 s,
      // so even a killed probe leaves nothing behind.
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      alarm(20);
      pause();
      _exit(0);
    }
    children[made++] = pid;
  }
  for (long i = 0; i < made; i++) kill(children[i], SIGKILL);
  for (long i = 0; i < made; i++) waitpid(children[i], NULL, 0);
  if (made < bound) {
    verdict("contained", "fork failed after %ld children: %s", made, strerror(fork_errno));
  } else {
    verdict("allowed", "forked %ld of %ld children, no limit hit", made, bound);
  }
  return 0;
}
#endif
