// A bounded memory bomb: allocates and touches 1 MiB blocks until allocation
// fails or BOUND MiB are in use. Progress goes to stderr unbuffered, so when a
// memory limit kills the probe outright the runner still knows how far it got.
// Usage: probe-memory-bomb BOUND_MIB
#include <unistd.h>
#include "probe.h"

#define MIB (1024 * 1024)

// Every block stays reachable from here, so no compiler may drop an allocation it sees unused.
static char *volatile newest;

int main(int argc, char **argv) {
  need_args(argc, 1, "probe-memory-bomb BOUND_MIB");
  long bound = strtol(argv[1], NULL, 10);
  if (bound <= 0 || bound > 8192) {
    fprintf(stderr, "probe-memory-bomb: BOUND_MIB must be 1..8192\n");
    return 2;
  }
  long got = 0;
  while (got < bound) {
    char *block = malloc(MIB);
    if (!block) break;
    memset(block, 0xa5, MIB);  // touch it: untouched pages cost nothing
    newest = block;
    got++;
    if (got % 16 == 0) dprintf(STDERR_FILENO, "allocated_mib: %ld\n", got);
  }
  if (got < bound) {
    verdict("contained", "allocation failed at %ld MiB", got);
  } else {
    verdict("allowed", "allocated %ld MiB, no limit hit", got);
  }
  return 0;
}
