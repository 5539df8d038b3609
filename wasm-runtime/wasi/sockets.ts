import { Errno } from "./constants.ts";

/** Preview1 sockets only serve descriptors handed over at start, and this host hands over none. */
export function socketCalls() {
  const unsupported = () => Errno.NOTSUP;
  return { sock_accept: unsupported, sock_recv: unsupported, sock_send: unsupported, sock_shutdown: unsupported };
}
