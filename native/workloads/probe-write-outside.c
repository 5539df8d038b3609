// Creates a file at a host path outside the sandbox root.
// Usage: probe-write-outside HOST_PATH TOKEN
// A write that succeeds may still land in a private copy of the filesystem:
// the runner decides "allowed" only if the file appears on the host.
#include <fcntl.h>
#include <unistd.h>
#include "probe.h"

int main(int argc, char **argv) {
  need_args(argc, 2, "probe-write-outside HOST_PATH TOKEN");
  int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) {
    verdict("blocked", "open: %s", strerror(errno));
    return 0;
  }
  size_t len = strlen(argv[2]);
  ssize_t n = write(fd, argv[2], len);
  int closed = close(fd);
  if (n != (ssize_t)len || closed != 0) {
    verdict("blocked", "write: %s", strerror(errno));
    return 0;
  }
  verdict("allowed", "wrote %zu bytes", len);
  return 0;
}
