/* tty.h on berth's kernel: the terminal calls of the process extension (berth.h). */
#include <errno.h>
#include <string.h>

#include "../include/berth.h"
#include "tty.h"

_Static_assert(sizeof(struct berth_termios) <= sizeof(struct tty_modes), "tty_modes too small");

static int fail(int err) {
  if (err == 0) return 0;
  errno = err;
  return -1;
}

int tty_is_terminal(int fd) {
  struct berth_termios t;
  return berth_tcgetattr(fd, &t) == 0;
}

int tty_save(int fd, struct tty_modes *m) {
  memset(m, 0, sizeof *m);
  return fail(berth_tcgetattr(fd, (struct berth_termios *)m->u.bytes));
}

int tty_restore(int fd, const struct tty_modes *m) {
  return fail(berth_tcsetattr(fd, 0, (const struct berth_termios *)m->u.bytes));
}

/* Linux's termios bits and c_cc indices, which berth's terminal uses too. */
#define T_ICRNL 0400
#define T_IXON 02000
#define T_ISIG 01
#define T_ICANON 02
#define T_ECHO 010
#define T_ECHONL 0100
#define T_IEXTEN 0100000
#define T_VTIME 5
#define T_VMIN 6

int tty_raw(int fd) {
  struct berth_termios t;
  int err = berth_tcgetattr(fd, &t);
  if (err) return fail(err);
  t.iflag &= ~(uint32_t)(T_ICRNL | T_IXON);
  t.lflag &= ~(uint32_t)(T_ICANON | T_ECHO | T_ECHONL | T_ISIG | T_IEXTEN);
  t.cc[T_VMIN] = 1;
  t.cc[T_VTIME] = 0;
  return fail(berth_tcsetattr(fd, 0, &t));
}

int tty_window(int fd, int *rows, int *cols) {
  struct berth_winsize ws;
  int err = berth_tcgetwinsize(fd, &ws);
  if (err) return fail(err);
  *rows = ws.rows;
  *cols = ws.cols;
  return 0;
}

int tty_getpgrp(int fd) {
  int32_t pgid;
  int err = berth_tcgetpgrp(fd, &pgid);
  return err ? fail(err) : pgid;
}

int tty_setpgrp(int fd, int pgid) { return fail(berth_tcsetpgrp(fd, pgid)); }

int tty_setpgid(int pid, int pgid) { return fail(berth_setpgid(pid, pgid)); }

void tty_spawn_group(int pgid) { (void)pgid; }

int tty_getpgid(int pid) {
  int32_t pgid;
  int err = berth_getpgid(pid, &pgid);
  return err ? fail(err) : pgid;
}
