/* WASI has no user database: every lookup finds nobody (set HOME instead). */
#ifndef PLAYPEN_SHIM_PWD_H
#define PLAYPEN_SHIM_PWD_H
#include <stddef.h>
#include <sys/types.h>
struct passwd {
  char *pw_name, *pw_passwd;
  uid_t pw_uid;
  gid_t pw_gid;
  char *pw_gecos, *pw_dir, *pw_shell;
};
static inline struct passwd *getpwuid(uid_t uid) { (void)uid; return NULL; }
static inline struct passwd *getpwnam(const char *name) { (void)name; return NULL; }
#endif
