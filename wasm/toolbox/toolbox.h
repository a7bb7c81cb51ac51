/* berth's toolbox: one multi-call program; each applet is `int applet_X(argc, argv)`. */
#ifndef TOOLBOX_H
#define TOOLBOX_H
#include <stddef.h>

#include "../lib/sys.h"

#define APPLET(name, fn) int fn(int argc, char **argv);
#define ALIAS(name, fn)
#include "applets.def"
#undef APPLET
#undef ALIAS

/* A first version of an applet, replaced at link time by a complete one in its own file. */
#define FIRST_VERSION __attribute__((weak))

/* The name the applet was called by ("ls"), for messages. */
extern const char *applet_name;

/* "APPLET: message\n" on stderr, as busybox words its errors. */
void tb_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "APPLET: WHAT: strerror(errno)\n". */
void tb_perror(const char *what);
/* Allocation that exits with a message when memory runs out. */
void *tb_malloc(size_t n);
void *tb_realloc(void *p, size_t n);
char *tb_strdup(const char *s);

#endif
