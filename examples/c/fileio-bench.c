// File-I/O benchmark: write, read back and verify, stat, then delete COUNT
// files of 4 KiB each. Usage: fileio-bench [directory] [count]
//
// File contents depend only on the file index, so the checksum is the same on
// every platform and filesystem; a mismatch means data was corrupted.
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FILE_SIZE 4096

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void fill(uint8_t *buf, long index) {
  uint32_t x = 2166136261u ^ (uint32_t)index;
  for (int i = 0; i < FILE_SIZE; i++) {
    x = x * 1664525u + 1013904223u;  // LCG: cheap, deterministic bytes
    buf[i] = (uint8_t)(x >> 24);
  }
}

static void fail(const char *what, const char *path) {
  fprintf(stderr, "fileio-bench: %s %s: %s\n", what, path, strerror(errno));
  exit(1);
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "/workspace/fileio-bench";
  long count = argc > 2 ? strtol(argv[2], NULL, 10) : 500;
  if (count <= 0) {
    fprintf(stderr, "usage: fileio-bench [directory] [count > 0]\n");
    return 2;
  }
  if (mkdir(dir, 0755) != 0 && errno != EEXIST) fail("mkdir", dir);

  static uint8_t expected[FILE_SIZE], actual[FILE_SIZE];
  char path[4096];
  uint64_t checksum = 0xcbf29ce484222325ULL;  // FNV-1a over all bytes read
  long long bytes_stat = 0;
  double t0 = now_ms();

  for (long i = 0; i < count; i++) {
    snprintf(path, sizeof path, "%s/file-%05ld.bin", dir, i);
    fill(expected, i);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) fail("open for write", path);
    if (write(fd, expected, FILE_SIZE) != FILE_SIZE) fail("write", path);
    if (close(fd) != 0) fail("close", path);
  }
  double t1 = now_ms();

  for (long i = 0; i < count; i++) {
    snprintf(path, sizeof path, "%s/file-%05ld.bin", dir, i);
    int fd = open(path, O_RDONLY);
    if (fd < 0) fail("open for read", path);
    if (read(fd, actual, FILE_SIZE) != FILE_SIZE) fail("read", path);
    close(fd);
    fill(expected, i);
    if (memcmp(expected, actual, FILE_SIZE) != 0) {
      fprintf(stderr, "fileio-bench: %s: contents differ\n", path);
      return 1;
    }
    for (int b = 0; b < FILE_SIZE; b++) checksum = (checksum ^ actual[b]) * 0x100000001b3ULL;
  }
  double t2 = now_ms();

  for (long i = 0; i < count; i++) {
    snprintf(path, sizeof path, "%s/file-%05ld.bin", dir, i);
    struct stat st;
    if (stat(path, &st) != 0) fail("stat", path);
    if (st.st_size != FILE_SIZE) {
      fprintf(stderr, "fileio-bench: %s: size %lld, expected %d\n", path, (long long)st.st_size, FILE_SIZE);
      return 1;
    }
    bytes_stat += st.st_size;
  }
  double t3 = now_ms();

  for (long i = 0; i < count; i++) {
    snprintf(path, sizeof path, "%s/file-%05ld.bin", dir, i);
    if (unlink(path) != 0) fail("unlink", path);
  }
  rmdir(dir);  // best effort: the directory may hold other files
  double t4 = now_ms();

  printf("files: %ld\n", count);
  printf("bytes: %lld\n", bytes_stat);
  printf("checksum: %016" PRIx64 "\n", checksum);
  printf("write_ms: %.1f\nread_ms: %.1f\nstat_ms: %.1f\ndelete_ms: %.1f\n", t1 - t0, t2 - t1, t3 - t2,
         t4 - t3);
  printf("elapsed_ms: %.1f\n", t4 - t0);
  return 0;
}
