// Connects to a canary TCP listener the runner opened on the host's loopback
// and reads the token it sends. Usage: probe-loopback-connect PORT
#ifdef __wasi__
// WASI preview1 cannot create or connect a socket; a guest can only use a
// socket the host hands it as a descriptor. So look for one among the open
// descriptors: none means no way to reach any listener. Descriptors 0-2 are the
// run's own stdio, which WASI reports as socket streams when they are pipes (it
// has no pipe type: uvwasi and the gated engine both do so), so the search
// starts at 3.
#include <sys/stat.h>
#include "probe.h"

int main(int argc, char **argv) {
  need_args(argc, 1, "probe-loopback-connect PORT");
  for (int fd = 3; fd < 64; fd++) {
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode)) {
      verdict("allowed", "descriptor %d is a socket handed in by the host", fd);
      return 0;
    }
  }
  verdict("blocked", "no socket() or connect() in WASI preview1, and no socket among descriptors 3-63");
  return 0;
}
#else
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include "probe.h"

int main(int argc, char **argv) {
  need_args(argc, 1, "probe-loopback-connect PORT");
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    verdict("blocked", "socket: %s", strerror(errno));
    return 0;
  }
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1]))};
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  // Non-blocking, so a network that drops packets costs 2 s, not minutes.
  fcntl(fd, F_SETFL, O_NONBLOCK);
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0 && errno != EINPROGRESS) {
    verdict("blocked", "connect: %s", strerror(errno));
    return 0;
  }
  struct pollfd pfd = {.fd = fd, .events = POLLIN};
  int ready = poll(&pfd, 1, 2000);
  if (ready <= 0) {
    verdict("blocked", "no answer within 2 s");
    return 0;
  }
  int error = 0;
  socklen_t len = sizeof error;
  getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len);
  if (error != 0) {
    verdict("blocked", "connect: %s", strerror(error));
    return 0;
  }
  char buf[128];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) {
    verdict("blocked", "connected but read nothing");
    return 0;
  }
  buf[n] = 0;
  buf[strcspn(buf, "\r\n")] = 0;
  // The runner compares the token, so a different listener is not mistaken for the host's.
  verdict("allowed", "read: %s", buf);
  return 0;
}
#endif
