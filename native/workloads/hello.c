// Start-up workload: the smallest useful program, so its run time is the cost
// of starting and tearing down the sandbox around it. (examples/c/hello.c
// writes to /workspace, which backends that run on the host's own paths lack.)
#include <stdio.h>

int main(void) {
  puts("hello");
  return 0;
}
