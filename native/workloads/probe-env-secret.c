// Reads an environment variable the runner set on its own process but never
// granted to the guest. Usage: probe-env-secret NAME
#include "probe.h"

int main(int argc, char **argv) {
  need_args(argc, 1, "probe-env-secret NAME");
  const char *value = getenv(argv[1]);
  if (!value) {
    verdict("blocked", "%s is not set", argv[1]);
  } else {
    verdict("allowed", "read: %s", value);
  }
  return 0;
}
