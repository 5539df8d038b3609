// Floods stdout with MIB mebibytes, then reports on stderr (stdout is the
// flood). A runner or backend that caps output should stop it first.
// Usage: probe-output-flood MIB
#include <unistd.h>
#include "probe.h"

int main(int argc, char **argv) {
  need_args(argc, 1, "probe-output-flood MIB");
  long mib = strtol(argv[1], NULL, 10);
  static char line[1024];
  memset(line, 'x', sizeof line - 1);
  line[sizeof line - 1] = '\n';
  for (long i = 0; i < mib * 1024; i++) {
    if (write(STDOUT_FILENO, line, sizeof line) != (ssize_t)sizeof line) {
      dprintf(STDERR_FILENO, "verdict: blocked write failed after %ld KiB: %s\n", i, strerror(errno));
      return 0;
    }
  }
  dprintf(STDERR_FILENO, "verdict: allowed wrote %ld MiB\n", mib);
  return 0;
}
