// Reads a file planted on the host, outside the sandbox root.
// Usage: probe-read-canary HOST_PATH
#include <fcntl.h>
#include <unistd.h>
#include "probe.h"

int main(int argc, char **argv) {
  need_args(argc, 1, "probe-read-canary HOST_PATH");
  int fd = open(argv[1], O_RDONLY);
  if (fd < 0) {
    verdict("blocked", "open: %s", strerror(errno));
    return 0;
  }
  char buf[256];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n < 0) {
    verdict("blocked", "read: %s", strerror(errno));
    return 0;
  }
  buf[n] = 0;
  buf[strcspn(buf, "\r\n")] = 0;
  // The runner compares the content with the token it planted.
  verdict("allowed", "read: %s", buf);
  return 0;
}
