// Deterministic CPU benchmark: a prime sieve, an integer hash loop and a
// Mandelbrot escape-time kernel. Usage: cpu-bench [iterations]
//
// Every kernel feeds a 64-bit checksum so the compiler cannot drop the work,
// and so WASI and native runs can be compared for identical results. Only
// +, -, * and comparisons are used on doubles (no libm), which IEEE 754 makes
// bit-for-bit reproducible across targets.
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SIEVE_LIMIT 200000
#define HASH_ROUNDS 400000
#define MANDEL_SIZE 64
#define MANDEL_MAX_ITER 200

static uint8_t composite[SIEVE_LIMIT + 1];

static uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v;
  h *= 0x100000001b3ULL;  // FNV-1a prime
  return h ^ (h >> 29);
}

static uint64_t sieve(uint32_t limit) {
  memset(composite, 0, limit + 1);
  uint64_t count = 0, sum = 0;
  for (uint32_t i = 2; i <= limit; i++) {
    if (composite[i]) continue;
    count++;
    sum += i;
    for (uint64_t j = (uint64_t)i * i; j <= limit; j += i) composite[j] = 1;
  }
  return count * 1000003ULL + sum;
}

static uint64_t hash_loop(uint64_t seed) {
  // xorshift64* stream folded through a multiply-rotate hash
  uint64_t x = seed | 1, h = 0;
  for (uint32_t i = 0; i < HASH_ROUNDS; i++) {
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    uint64_t v = x * 0x2545F4914F6CDD1DULL;
    h = (h ^ v) * 0x9E3779B97F4A7C15ULL;
    h = (h << 31) | (h >> 33);
  }
  return h;
}

static uint64_t mandelbrot(int shift) {
  // The viewport moves a little each iteration so no two calls are identical.
  double x0 = -2.0 + shift * 1e-4, y0 = -1.25, step = 2.5 / MANDEL_SIZE;
  uint64_t total = 0;
  for (int py = 0; py < MANDEL_SIZE; py++) {
    for (int px = 0; px < MANDEL_SIZE; px++) {
      double cr = x0 + px * step, ci = y0 + py * step;
      double zr = 0, zi = 0;
      int n = 0;
      while (n < MANDEL_MAX_ITER && zr * zr + zi * zi <= 4.0) {
        double t = zr * zr - zi * zi + cr;
        zi = 2.0 * zr * zi + ci;
        zr = t;
        n++;
      }
      total = total * 31 + (uint64_t)n;
    }
  }
  return total;
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
  long iterations = argc > 1 ? strtol(argv[1], NULL, 10) : 500;
  if (iterations <= 0) {
    fprintf(stderr, "usage: cpu-bench [iterations > 0]\n");
    return 2;
  }

  double start = now_ms();
  uint64_t checksum = 0xcbf29ce484222325ULL;  // FNV-1a offset basis
  for (long i = 0; i < iterations; i++) {
    checksum = mix(checksum, sieve(SIEVE_LIMIT - (uint32_t)(i % 1000)));
    checksum = mix(checksum, hash_loop(checksum + (uint64_t)i));
    checksum = mix(checksum, mandelbrot((int)(i % 100)));
  }
  double elapsed = now_ms() - start;

  printf("iterations: %ld\n", iterations);
  printf("checksum: %016" PRIx64 "\n", checksum);
  printf("elapsed_ms: %.1f\n", elapsed);
  return 0;
}
