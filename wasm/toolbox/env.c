/* env, and running a program in place of an applet (env, chroot, unshare, nsenter). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysapplets.h"
#include "toolbox.h"

extern char **environ;

int run_program(char **argv) {
  char path[4096];
  int found = sys_find_program(argv[0], path, sizeof path);
  if (found) {
    tb_error("can't execute '%s': %s", argv[0], strerror(found == 127 ? ENOENT : EACCES));
    return found;
  }
  sys_exec(path, argv, environ);
  int err = errno;
  tb_error("can't execute '%s': %s", argv[0], strerror(err));
  return err == ENOENT ? 127 : 126;
}

int applet_env(int argc, char **argv) {
  static char *empty[] = {NULL};
  int nul = 0, opt;
  /* '+': options stop at the first operand (a NAME=VALUE or the program) */
  while ((opt = getopt(argc, argv, "+iu:0")) != -1) switch (opt) {
    case 'i': environ = empty; break;
    case 'u': unsetenv(optarg); break;
    case '0': nul = 1; break;
    default: return usage_error("env [-i0] [-u NAME]... [-] [NAME=VALUE]... [PROG ARGS]");
    }
  int i = optind;
  if (i < argc && !strcmp(argv[i], "-")) {
    environ = empty;
    i++;
  }
  for (; i < argc && strchr(argv[i], '='); i++) putenv(argv[i]);
  if (i < argc) return run_program(argv + i);
  for (char **e = environ; e && *e; e++) printf("%s%c", *e, nul ? 0 : '\n');
  return 0;
}
