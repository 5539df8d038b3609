// Memory workload: allocates SIZE MiB in 256 KiB chunks, touches every page,
// frees it all, ROUNDS times. Natively each chunk is its own mmap (glibc maps
// chunks this large directly), so every round pays for fresh pages; a WASI
// guest's linear memory only grows, so later rounds reuse pages it already has.
// Usage: memory-bench [rounds] [size-mib]
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHUNK (256 * 1024)

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
  long rounds = argc > 1 ? strtol(argv[1], NULL, 10) : 20;
  long mib = argc > 2 ? strtol(argv[2], NULL, 10) : 32;
  if (rounds <= 0 || mib <= 0 || mib > 1024) {
    fprintf(stderr, "usage: memory-bench [rounds > 0] [size-mib 1..1024]\n");
    return 2;
  }
  size_t chunks = (size_t)mib * 1024 * 1024 / CHUNK;
  char **blocks = calloc(chunks, sizeof *blocks);
  if (!blocks) return perror("calloc"), 1;
  uint64_t checksum = 0;
  double t0 = now_ms();
  for (long r = 0; r < rounds; r++) {
    for (size_t i = 0; i < chunks; i++) {
      blocks[i] = malloc(CHUNK);
      if (!blocks[i]) {
        fprintf(stderr, "memory-bench: malloc failed at round %ld, chunk %zu\n", r, i);
        return 1;
      }
      // One write per 4 KiB page makes the kernel (or the engine) supply it.
      for (size_t off = 0; off < CHUNK; off += 4096) blocks[i][off] = (char)(r + i + off);
    }
    for (size_t i = 0; i < chunks; i++) {
      checksum += (unsigned char)blocks[i][(i * 4096) % CHUNK];
      free(blocks[i]);
    }
  }
  double elapsed = now_ms() - t0;
  free(blocks);
  printf("rounds: %ld\nmib: %ld\nchecksum: %llu\nelapsed_ms: %.1f\n", rounds, mib, (unsigned long long)checksum, elapsed);
  return 0;
}
