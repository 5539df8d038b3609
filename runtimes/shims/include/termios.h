/* WASI has no terminals to configure: the calls fail with ENOTTY. */
#ifndef PLAYPEN_SHIM_TERMIOS_H
#define PLAYPEN_SHIM_TERMIOS_H
#include <errno.h>

typedef unsigned int tcflag_t;
typedef unsigned char cc_t;
typedef unsigned int speed_t;
#define NCCS 32
struct termios {
  tcflag_t c_iflag, c_oflag, c_cflag, c_lflag;
  cc_t c_line;
  cc_t c_cc[NCCS];
};
struct winsize { unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel; };

#define TCSANOW 0
#define TCSADRAIN 1
#define TCSAFLUSH 2
#define IGNBRK 1
#define BRKINT 2
#define PARMRK 8
#define ISTRIP 32
#define INLCR 64
#define IGNCR 128
#define ICRNL 256
#define IXON 1024
#define OPOST 1
#define ECHO 8
#define ECHONL 64
#define ICANON 2
#define ISIG 1
#define IEXTEN 32768
#define CSIZE 48
#define PARENB 256
#define CS8 48
#define VMIN 6
#define VTIME 5
#define TIOCGWINSZ 0x5413

static inline int tcgetattr(int fd, struct termios *t) { (void)fd; (void)t; errno = ENOTTY; return -1; }
static inline int tcsetattr(int fd, int how, const struct termios *t) { (void)fd; (void)how; (void)t; errno = ENOTTY; return -1; }
#endif
