// Reports the kernel the guest sees. The runner compares it with the host's:
// the same release means the guest can target the host kernel's known bugs.
// Usage: probe-kernel-identity
#include <sys/utsname.h>
#include "probe.h"

int main(void) {
  struct utsname u;
  if (uname(&u) != 0) {
    verdict("blocked", "uname: %s", strerror(errno));
    return 0;
  }
  // "allowed" is provisional: only the runner knows the host's release.
  verdict("allowed", "%s %s %s", u.sysname, u.release, u.version);
  return 0;
}
