/* WASI has no dynamic loading: dlopen always fails with a message saying so. */
#ifndef PLAYPEN_SHIM_DLFCN_H
#define PLAYPEN_SHIM_DLFCN_H
#define RTLD_LAZY 1
#define RTLD_NOW 2
#define RTLD_GLOBAL 0x100
#define RTLD_LOCAL 0
static inline void *dlopen(const char *f, int m) { (void)f; (void)m; return 0; }
static inline void *dlsym(void *h, const char *s) { (void)h; (void)s; return 0; }
static inline int dlclose(void *h) { (void)h; return 0; }
static inline char *dlerror(void) { return (char *)"dynamic loading is not supported under WASI"; }
#endif
