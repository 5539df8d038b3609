// Syscall-heavy benchmark for comparing WASI hosts: many small write(2) calls
// to one file, then many open/close pairs of it. The work is almost all host
// calls, so it measures the cost of crossing into the host, not the guest's code.
// Usage: syscall-bench [writes] [opens] [file] — the file argument lets the
// same program run natively beside its WASI build.
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
  long writes = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
  long opens = argc > 2 ? strtol(argv[2], NULL, 10) : 10000;
  const char *path = argc > 3 ? argv[3] : "/workspace/syscall-bench.dat";
  if (writes < 0 || opens < 0) {
    fprintf(stderr, "usage: syscall-bench [writes >= 0] [opens >= 0] [file]\n");
    return 2;
  }

  double t0 = now_ms();
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return perror(path), 1;
  for (long i = 0; i < writes; i++) {
    if (write(fd, "0123456789abcdef", 16) != 16) return perror("write"), 1;
  }
  close(fd);
  double t1 = now_ms();
  for (long i = 0; i < opens; i++) {
    fd = open(path, O_RDONLY);
    if (fd < 0) return perror(path), 1;
    close(fd);
  }
  double t2 = now_ms();

  struct stat st;
  if (stat(path, &st) != 0) return perror(path), 1;
  printf("writes: %ld\nopens: %ld\nsize: %lld\n", writes, opens, (long long)st.st_size);
  printf("write_ms: %.1f\nopen_ms: %.1f\nelapsed_ms: %.1f\n", t1 - t0, t2 - t1, t2 - t0);
  return 0;
}
