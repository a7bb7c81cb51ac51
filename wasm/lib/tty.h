/*
 * Terminals and job control for berth's programs (the interactive shell): terminal modes,
 * the foreground process group, window size, process groups. tty_wasi.c implements it over
 * berth.h's terminal calls, tty_native.c over termios/ioctl. POSIX convention: 0 (or a
 * value) on success, -1 with errno set on failure.
 */
#ifndef BERTH_TTY_H
#define BERTH_TTY_H

/* Saved terminal modes (opaque: a struct termios natively, struct berth_termios on berth). */
struct tty_modes {
  union {
    long long align;
    unsigned char bytes[128];
  } u;
};

int tty_is_terminal(int fd); /* 1 when fd is a terminal, else 0 */
int tty_save(int fd, struct tty_modes *m);
int tty_restore(int fd, const struct tty_modes *m);
/* For a line editor, as busybox's: no canonical mode, echo or signal characters (^C
 * arrives as a byte), reads return each byte as typed; output processing stays on. */
int tty_raw(int fd);
int tty_window(int fd, int *rows, int *cols);

int tty_getpgrp(int fd);           /* tcgetpgrp */
int tty_setpgrp(int fd, int pgid); /* tcsetpgrp */
int tty_setpgid(int pid, int pgid);
int tty_getpgid(int pid);
/* The group of the children spawned from now on: -1 this process's (the default), 0 a new
 * one each leads, N group N. Natively the child joins it before exec (a parent cannot move
 * a child that has exec'd); on berth this does nothing and the parent's tty_setpgid after
 * spawning does it. */
void tty_spawn_group(int pgid);

#endif
