// Lists processes through /proc and looks for a canary process the runner
// started on the host with MARKER as its argv[0].
// Usage: probe-list-processes MARKER
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include "probe.h"

int main(int argc, char **argv) {
  need_args(argc, 1, "probe-list-processes MARKER");
  DIR *proc = opendir("/proc");
  if (!proc) {
    verdict("blocked", "opendir /proc: %s", strerror(errno));
    return 0;
  }
  int count = 0, seen = 0;
  struct dirent *entry;
  while ((entry = readdir(proc)) != NULL) {
    if (!isdigit((unsigned char)entry->d_name[0])) continue;
    count++;
    char path[300], cmdline[512];
    snprintf(path, sizeof path, "/proc/%s/cmdline", entry->d_name);
    int fd = open(path, O_RDONLY);
    if (fd < 0) continue;
    ssize_t n = read(fd, cmdline, sizeof cmdline - 1);
    close(fd);
    if (n <= 0) continue;
    cmdline[n] = 0;  // argv[0] only: the arguments are NUL-separated
    if (strstr(cmdline, argv[1])) seen = 1;
  }
  closedir(proc);
  if (seen) {
    verdict("allowed", "canary process visible among %d process(es)", count);
  } else if (count == 0) {
    verdict("blocked", "no process entries in /proc");
  } else {
    verdict("contained", "%d process(es) visible, canary not among them", count);
  }
  return 0;
}
