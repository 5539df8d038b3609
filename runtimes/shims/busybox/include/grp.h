/* WASI has no group database: every lookup finds nothing. */
#ifndef PLAYPEN_SHIM_GRP_H
#define PLAYPEN_SHIM_GRP_H
#include <stddef.h>
#include <sys/types.h>
struct group {
  char *gr_name, *gr_passwd;
  gid_t gr_gid;
  char **gr_mem;
};
static inline struct group *getgrgid(gid_t gid) { (void)gid; return NULL; }
static inline struct group *getgrnam(const char *name) { (void)name; return NULL; }
#endif
