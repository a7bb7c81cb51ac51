/* Option parsing of the text applets as busybox's (getopt as glibc's: options may follow
 * operands), and its answer to a bad option. */
#ifndef TEXTOPT_H
#define TEXTOPT_H

/* Reorders argv[1..] so that options (with their arguments) come before operands, as
 * glibc's getopt does and musl's (wasi-libc's) does not; "--" and what follows stay last.
 * Then run getopt with SPEC preceded by ':' and opterr 0, and pass '?' and ':' here. */
void textopt_permute(int argc, char **argv, const char *spec);

/* busybox's banner and USAGE on stderr (a bad invocation); returns STATUS. */
int textopt_usage(const char *usage, int status);

/* "APPLET: invalid option -- 'c'" (or "option requires an argument"), then busybox's
 * banner and USAGE on stderr; returns STATUS. */
int textopt_bad(int opt, const char *usage, int status);

#endif
