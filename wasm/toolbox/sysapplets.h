/* What the system applets (ids.c, env.c, ps.c, mount.c, ns.c, …) share. */
#ifndef SYSAPPLETS_H
#define SYSAPPLETS_H
#include <stddef.h>

/* Names from /etc/passwd and /etc/group (ids.c); NULL when the id has none. */
const char *ids_user_name(unsigned uid);
const char *ids_group_name(unsigned gid);

/* Run ARGV (found on $PATH) in place of the applet, as busybox's env and chroot do: on
 * failure "can't execute 'X': reason" and 127 (not found) or 126 (env.c). */
int run_program(char **argv);

/* The whole of a (/proc) file, NUL-terminated, NUL bytes inside kept; NULL on error
 * (procfile.c). */
char *read_whole(const char *path, size_t *len);

/* "Usage: …" on stderr, and the status busybox gives a bad invocation (procfile.c). */
int usage_error(const char *usage);

#endif
