/* Owner names and human-readable sizes, shared by ls, stat, du and others. */
#ifndef NAMES_H
#define NAMES_H
#include <stdint.h>

/* The name of UID (GID) from /etc/passwd (/etc/group), or NULL; looked up once per id. */
const char *names_user(unsigned uid);
const char *names_group(unsigned gid);

/* BYTES as busybox's -h shows it: "999", "1.0K", "117.7M" (steps of 1024, one decimal). */
const char *names_human(uint64_t bytes, char buf[16]);

/* "rwxr-sr-t"-style mode string of MODE (with the type letter first), into BUF[11]. */
void names_mode(uint32_t mode, char buf[11]);

#endif
