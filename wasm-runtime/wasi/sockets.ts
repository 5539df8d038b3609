import { Errno } from "./constants.ts";
import type { HostContext } from "./context.ts";

/**
 * Preview1 sockets only serve descriptors handed over at start, and this host
 * hands over none: every descriptor is not a socket (ENOTSOCK, as POSIX
 * answers), and a number that is no descriptor is EBADF.
 */
export function socketCalls({ fds }: HostContext) {
  const notASocket = (fd: number) => (fds.get(fd) === undefined ? Errno.BADF : Errno.NOTSOCK);
  return { sock_accept: notASocket, sock_recv: notASocket, sock_send: notASocket, sock_shutdown: notASocket };
}
