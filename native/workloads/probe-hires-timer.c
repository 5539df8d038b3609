// Measures the finest step of CLOCK_MONOTONIC the guest can observe. A fine
// clock is what timing side channels (Spectre-style, cache attacks) need.
// Usage: probe-hires-timer
#include <stdint.h>
#include <time.h>
#include "probe.h"

static int64_t now_ns(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return -1;
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int main(void) {
  int64_t finest = INT64_MAX, previous = now_ns();
  if (previous < 0) {
    verdict("blocked", "clock_gettime: %s", strerror(errno));
    return 0;
  }
  for (int i = 0; i < 200000; i++) {
    int64_t t = now_ns();
    if (t > previous && t - previous < finest) finest = t - previous;
    previous = t;
  }
  if (finest == INT64_MAX) {
    verdict("blocked", "the clock never advanced");
  } else if (finest < 1000) {
    verdict("allowed", "resolution %lld ns", (long long)finest);
  } else {
    verdict("contained", "resolution coarsened to %lld ns", (long long)finest);
  }
  return 0;
}
