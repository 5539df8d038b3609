// Spins on the CPU. The runner's time limit (or a CPU rlimit) should end it
// long before it gives up on its own after SECONDS of CPU time. TAG is not
// used: it only marks the command line, so the runner can prove from the
// host's process table that nothing of it survived the stop.
// Usage: probe-cpu-runaway SECONDS [TAG]
#include <time.h>
#include "probe.h"

static double cpu_seconds(void) {
  struct timespec ts;
#ifdef __wasi__
  // Engines need not implement the process CPU clock; wall time bounds the spin the same way.
  clock_gettime(CLOCK_MONOTONIC, &ts);
#else
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
#endif
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  need_args(argc, 1, "probe-cpu-runaway SECONDS [TAG]");
  double limit = strtod(argv[1], NULL);
  // Relative to the start: a WASI monotonic clock may start anywhere.
  double start = cpu_seconds();
  volatile unsigned long spins = 0;
  while (cpu_seconds() - start < limit) {
    for (int i = 0; i < 1000000; i++) spins++;
  }
  verdict("allowed", "ran %.0f s of CPU unchecked", limit);
  return 0;
}
