/* kill [-l [SIG…]] [-SIG | -s SIG] PID…, with busybox's signal names and messages. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "toolbox.h"

/* Linux's signal names, by number. */
static const char *const NAMES[] = {"EXIT", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS",
                                    "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM",
                                    "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
                                    "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "POLL", "PWR", "SYS"};
#define NSIGNALS 32

/* A whole decimal number (optionally negative) in *out. */
static int number(const char *s, long *out) {
  char *end;
  if (!*s) return 0;
  errno = 0;
  *out = strtol(s, &end, 10);
  return !*end && !errno && (s[0] == '-' || (s[0] >= '0' && s[0] <= '9'));
}

/* A signal by number or name (any case, SIG prefix or not; IO and IOT as aliases); -1 if none. */
static int signal_of(const char *s) {
  long n;
  if (number(s, &n)) return n >= 0 && n < NSIGNALS ? (int)n : -1;
  if (!strncasecmp(s, "SIG", 3)) s += 3;
  for (int i = 1; i < NSIGNALS; i++)
    if (!strcasecmp(NAMES[i], s)) return i;
  if (!strcasecmp(s, "IO")) return 29;
  if (!strcasecmp(s, "IOT")) return 6;
  return -1;
}

static int list(int argc, char **argv) {
  if (argc == 0) {
    for (int i = 1; i < NSIGNALS; i++) printf("%2d) %s\n", i, NAMES[i]);
    return 0;
  }
  for (int i = 0; i < argc; i++) {
    long n;
    if (number(argv[i], &n) && n >= 0) {
      /* an exit status 128+N names signal N; numbers without a name print as they are */
      if (n >= 128) n -= 128;
      if (n < NSIGNALS) puts(NAMES[n]);
      else printf("%s\n", argv[i]);
      continue;
    }
    int sig = signal_of(argv[i]);
    if (sig <= 0) {
      tb_error("unknown signal '%s'", argv[i]);
      return 1;
    }
    printf("%d\n", sig);
  }
  return 0;
}

int applet_kill(int argc, char **argv) {
  int sig = SYS_SIGTERM, i = 1;
  if (i < argc && !strcmp(argv[i], "-l")) return list(argc - 2, argv + 2);
  if (i < argc && !strcmp(argv[i], "--")) i++; /* only before the signal: later it is a bad pid */
  else if (i < argc && argv[i][0] == '-') {
    const char *name = argv[i] + 1;
    if (!strcmp(argv[i], "-s") && i + 1 < argc) name = argv[++i];
    sig = signal_of(name);
    if (sig < 0) {
      tb_error("bad signal name '%s'", name);
      return 1;
    }
    i++;
  }
  if (i >= argc) {
    tb_error("you need to specify whom to kill");
    return 1;
  }
  int errors = 0;
  for (; i < argc; i++) {
    long pid;
    if (!number(argv[i], &pid)) {
      tb_error("invalid number '%s'", argv[i]);
      errors++;
    } else if (sys_kill((int)pid, sig)) {
      tb_error("can't kill pid %s: %s", argv[i], strerror(errno));
      errors++;
    }
  }
  return errors;
}
