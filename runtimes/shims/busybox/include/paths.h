/* The usual locations; in the sandbox most of them do not exist. */
#ifndef PLAYPEN_SHIM_PATHS_H
#define PLAYPEN_SHIM_PATHS_H
#define _PATH_BSHELL "/bin/sh"
#define _PATH_DEVNULL "/dev/null"
#define _PATH_TTY "/dev/tty"
#define _PATH_TMP "/tmp/"
#define _PATH_PASSWD "/etc/passwd"
#define _PATH_GROUP "/etc/group"
#define _PATH_STDPATH "/bin:/usr/bin"
#endif
