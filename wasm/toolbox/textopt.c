/* Option parsing of the text applets as busybox's: see textopt.h. */
#include "textopt.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toolbox.h"

void textopt_permute(int argc, char **argv, const char *spec) {
  char **opts = tb_malloc(sizeof *opts * (size_t)(argc + 1));
  char **ops = tb_malloc(sizeof *ops * (size_t)(argc + 1));
  int no = 0, nops = 0, i = 1;
  while (*spec == ':' || *spec == '+') spec++;
  for (; i < argc; i++) {
    char *a = argv[i];
    if (!strcmp(a, "--")) break;
    if (a[0] != '-' || !a[1]) {
      ops[nops++] = a;
      continue;
    }
    opts[no++] = a;
    /* an option that takes an argument ends the cluster; a required one may be next */
    for (char *p = a + 1; *p; p++) {
      const char *s = *p != ':' ? strchr(spec, *p) : NULL;
      if (!s || s[1] != ':') continue;
      if (!p[1] && s[2] != ':' && i + 1 < argc) opts[no++] = argv[++i];
      break;
    }
  }
  int k = 1;
  for (int j = 0; j < no; j++) argv[k++] = opts[j];
  /* "--" before the operands keeps one that starts with '-' an operand */
  int dashes = i < argc;
  if (dashes) argv[k++] = "--";
  for (int j = 0; j < nops; j++) argv[k++] = ops[j];
  for (i += dashes; i < argc; i++) argv[k++] = argv[i];
  free(opts);
  free(ops);
  optind = 1;
  opterr = 0;
}

int textopt_bad(int opt, const char *usage, int status) {
  if (opt == ':') tb_error("option requires an argument -- '%c'", optopt);
  else tb_error("invalid option -- '%c'", optopt);
  return textopt_usage(usage, status);
}

int textopt_usage(const char *usage, int status) {
  fflush(stdout);
  fputs("BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n\n", stderr);
  fputs(usage, stderr);
  return status;
}
