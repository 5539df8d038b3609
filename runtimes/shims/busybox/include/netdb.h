/* WASI has no resolver: busybox's applets here never look a name up; the types let libbb.h compile. */
#ifndef PLAYPEN_SHIM_NETDB_H
#define PLAYPEN_SHIM_NETDB_H
#include <netinet/in.h>
#include <sys/socket.h>
struct hostent {
  char *h_name;
  char **h_aliases;
  int h_addrtype, h_length;
  char **h_addr_list;
};
#define h_addr h_addr_list[0]
struct servent {
  char *s_name;
  char **s_aliases;
  int s_port;
  char *s_proto;
};
struct addrinfo {
  int ai_flags, ai_family, ai_socktype, ai_protocol;
  socklen_t ai_addrlen;
  struct sockaddr *ai_addr;
  char *ai_canonname;
  struct addrinfo *ai_next;
};
#endif
