/* What the file applets (fileops.c, copy.c, remove.c, modes.c, cat.c, misc.c) share. */
#ifndef FILEOPS_H
#define FILEOPS_H
#include <stddef.h>

#include "toolbox.h"

/* Options as busybox's getopt32 takes them: anywhere among the operands (until "--"),
 * SPEC like "pm:" (':' after a letter that takes an argument; a leading '+' stops at the
 * first operand). Afterwards seen['x'] counts
 * -x, arg['x'] is its last argument, and argv[0..n) the operands (returned n); -1 after an
 * unknown option, with busybox's message and USAGE printed. */
struct fo_opts {
  unsigned char seen[128];
  const char *arg[128];
};
int fo_getopt(int argc, char **argv, const char *spec, const char *usage, struct fo_opts *o, char ***operands);

/* "BusyBox v1.35.0 (…) multi-call binary.\n\n" and USAGE on stderr; returns 1. */
int fo_usage(const char *usage);

/* -i: "APPLET: QUESTION? " on stderr and a line from stdin; 1 if it starts with y or Y. */
int fo_confirm(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* DIR/NAME, freshly allocated. */
char *fo_join(const char *dir, const char *name);
/* The last component of PATH, trailing slashes ignored, freshly allocated. */
char *fo_basename(const char *path);
/* Drop PATH's trailing slashes (in place, keeping a lone "/"). */
void fo_strip_slashes(char *path);
/* 1 if PATH is a directory (following symlinks). */
int fo_is_dir(const char *path);
/* The process's umask (read without changing it). */
unsigned fo_umask(void);
/* Give a file just created MODE less the umask: WASI creates files 0666 and directories
 * 0777 without applying it, so berth's programs do. */
void fo_created(const char *path, unsigned mode);
/* Names of a directory's entries (without . and ..), sorted; NULL when it cannot be read. */
char **fo_list_dir(const char *path, size_t *count);
void fo_free_list(char **names, size_t count);

/* rm's removal of PATH (remove.c); RECURSIVE descends, FORCE is quiet about missing
 * files, ASK asks first (-i). 0 or 1 (a message was printed). */
int fo_remove(const char *path, int recursive, int force, int ask);
/* cp -a of SRC to DST (copy.c), for mv across filesystems; 0 or 1. */
int fo_copy_all(const char *src, const char *dst);

/* chmod's MODE (octal, or symbolic like u+x,go-w,a=r,+X,u=g) applied to OLD (modes.c); -1
 * if invalid. IS_DIR matters for X. */
int fo_parse_mode(const char *spec, unsigned old, int is_dir, unsigned *out);

/* A user or group name, or a number, to an id (chown); -1 if unknown. */
long fo_user_id(const char *name, long *login_gid);
long fo_group_id(const char *name);

#endif
