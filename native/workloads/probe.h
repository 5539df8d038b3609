// Shared by the containment probes. Each probe tries one thing a hostile guest
// would try and prints exactly one line "verdict: WORD DETAIL" on stdout, the
// only line the runner parses. WORD is what the probe saw from the inside:
//   allowed   - the attempt worked;
//   blocked   - the attempt failed (a denial, a missing path, an unreachable host);
//   contained - it "worked" but against limits or a private copy, not the host.
// The runner may still revise it with what it sees from the host (for example,
// a write that succeeded inside but never reached the host file is contained).
#ifndef PLAYPEN_PROBE_H
#define PLAYPEN_PROBE_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((format(printf, 2, 3), unused)) static void verdict(const char *word, const char *format, ...) {
  va_list args;
  va_start(args, format);
  printf("verdict: %s ", word);
  vprintf(format, args);
  putchar('\n');
  fflush(stdout);
  va_end(args);
}

// A probe called with the wrong arguments is a harness bug, not a verdict.
__attribute__((unused)) static void need_args(int argc, int wanted, const char *usage) {
  if (argc < wanted + 1) {
    fprintf(stderr, "usage: %s\n", usage);
    exit(2);
  }
}

#endif
