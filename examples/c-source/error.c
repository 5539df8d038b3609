// A compile error: clang's message names the line and column, and the editor marks the line.
#include <stdio.h>

int main(void) {
  int total = 0;
  for (int i = 1; i <= 10; i++) total += i;
  printf("total = %d\n", totl);
  return 0;
}
