// A tiny WASI program: arguments, environment, files and exit codes.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  printf("Hello from WASI!\n");

  for (int i = 1; i < argc; i++) {
    printf("argv[%d] = %s\n", i, argv[i]);
    if (strcmp(argv[i], "--fail") == 0) {
      fprintf(stderr, "error: asked to fail with --fail\n");
      return 3;
    }
  }

  const char *name = getenv("NAME");
  if (name) printf("Hello, %s\n", name);

  // The sandbox's files live under /workspace; use absolute paths.
  FILE *in = fopen("/workspace/greeting.txt", "r");
  if (in) {
    printf("greeting.txt says: ");
    int c, last = 0;
    while ((c = fgetc(in)) != EOF) putchar(last = c);
    if (last != '\n') putchar('\n');
    fclose(in);
  }

  FILE *out = fopen("/workspace/hello-out.txt", "w");
  if (!out) {
    perror("/workspace/hello-out.txt");
    return 1;
  }
  fprintf(out, "hello wrote this with %d argument(s)\n", argc - 1);
  fclose(out);
  return 0;
}
