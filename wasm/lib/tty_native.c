/* tty.h natively on Linux: termios, ioctl(TIOCGWINSZ), setpgid, tcsetpgrp. */
#define _DEFAULT_SOURCE
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "tty.h"

_Static_assert(sizeof(struct termios) <= sizeof(struct tty_modes), "tty_modes too small");

int tty_is_terminal(int fd) { return isatty(fd); }

int tty_save(int fd, struct tty_modes *m) {
  memset(m, 0, sizeof *m);
  return tcgetattr(fd, (struct termios *)(void *)m->u.bytes);
}

int tty_restore(int fd, const struct tty_modes *m) {
  return tcsetattr(fd, TCSANOW, (const struct termios *)(const void *)m->u.bytes);
}

int tty_raw(int fd) {
  struct termios t;
  if (tcgetattr(fd, &t)) return -1;
  t.c_iflag &= ~(tcflag_t)(ICRNL | IXON);
  t.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ECHONL | ISIG | IEXTEN);
  t.c_cc[VMIN] = 1;
  t.c_cc[VTIME] = 0;
  return tcsetattr(fd, TCSANOW, &t);
}

int tty_window(int fd, int *rows, int *cols) {
  struct winsize ws;
  if (ioctl(fd, TIOCGWINSZ, &ws)) return -1;
  *rows = ws.ws_row;
  *cols = ws.ws_col;
  return 0;
}

int tty_getpgrp(int fd) { return tcgetpgrp(fd); }
/* A shell in a background group taking the terminal back would get SIGTTOU: blocked meanwhile. */
int tty_setpgrp(int fd, int pgid) {
  sigset_t ttou, old;
  sigemptyset(&ttou);
  sigaddset(&ttou, SIGTTOU);
  sigprocmask(SIG_BLOCK, &ttou, &old);
  int r = tcsetpgrp(fd, pgid);
  sigprocmask(SIG_SETMASK, &old, NULL);
  return r;
}
int tty_setpgid(int pid, int pgid) { return setpgid(pid, pgid); }
int tty_getpgid(int pid) { return getpgid(pid); }

static int spawn_group = -1;
static int hooked;

/* In a child just forked by sys_spawn, before it execs. */
static void join_spawn_group(void) {
  if (spawn_group >= 0) setpgid(0, spawn_group);
}

void tty_spawn_group(int pgid) {
  if (!hooked) hooked = pthread_atfork(NULL, NULL, join_spawn_group) == 0;
  spawn_group = pgid;
}
