/* Device numbers as Linux packs them; WASI files have none worth reading. */
#ifndef PLAYPEN_SHIM_SYS_SYSMACROS_H
#define PLAYPEN_SHIM_SYS_SYSMACROS_H
#define major(dev) ((unsigned)(((dev) >> 8) & 0xfff))
#define minor(dev) ((unsigned)(((dev) & 0xff) | (((dev) >> 12) & 0xfff00)))
#define makedev(ma, mi) ((((ma) & 0xfff) << 8) | ((mi) & 0xff) | (((mi) & 0xfff00) << 12))
#endif
