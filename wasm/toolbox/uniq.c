/* uniq: adjacent repeated lines once (-c counts, -d only repeated, -u only unique), as
 * busybox's; -f/-s skip fields and chars, -w compares only N chars, -i ignores case. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text_usage.h"
#include "textopt.h"
#include "toolbox.h"

static long uniq_fields, uniq_chars, uniq_width = -1;
static int uniq_icase;

/* The part of LINE compared: past -f fields and -s chars. */
static const char *uniq_key(const char *p) {
  for (long i = 0; i < uniq_fields; i++) {
    while (isblank((unsigned char)*p)) p++;
    while (*p && !isblank((unsigned char)*p)) p++;
  }
  for (long i = 0; i < uniq_chars && *p; i++) p++;
  return p;
}

static int uniq_same(const char *a, const char *b) {
  a = uniq_key(a), b = uniq_key(b);
  if (uniq_width >= 0) return (uniq_icase ? strncasecmp(a, b, (size_t)uniq_width) : strncmp(a, b, (size_t)uniq_width)) == 0;
  return (uniq_icase ? strcasecmp(a, b) : strcmp(a, b)) == 0;
}

static long uniq_number(const char *s) {
  char *end;
  long n = strtol(s, &end, 10);
  if (end == s || *end || n < 0) {
    tb_error("invalid number '%s'", s);
    exit(1);
  }
  return n;
}

int applet_uniq(int argc, char **argv) {
  int opt, counts = 0, only_dup = 0, only_uniq = 0;
  textopt_permute(argc, argv, "cduif:s:w:");
  while ((opt = getopt(argc, argv, ":cduif:s:w:")) != -1) {
    if (opt == 'c') counts = 1;
    else if (opt == 'd') only_dup = 1;
    else if (opt == 'u') only_uniq = 1;
    else if (opt == 'i') uniq_icase = 1;
    else if (opt == 'f') uniq_fields = uniq_number(optarg);
    else if (opt == 's') uniq_chars = uniq_number(optarg);
    else if (opt == 'w') uniq_width = uniq_number(optarg);
    else return textopt_bad(opt, USAGE_UNIQ, 1);
  }
  FILE *in = stdin, *out = stdout;
  if (optind < argc && strcmp(argv[optind], "-") && !(in = fopen(argv[optind], "r"))) {
    tb_error("can't open '%s': %s", argv[optind], strerror(errno));
    return 1;
  }
  if (optind + 1 < argc && strcmp(argv[optind + 1], "-") && !(out = fopen(argv[optind + 1], "w"))) {
    tb_error("can't open '%s': %s", argv[optind + 1], strerror(errno));
    return 1;
  }
  char *prev = NULL, *line = NULL;
  size_t cap = 0;
  long count = 0;
  for (;;) {
    ssize_t len = getline(&line, &cap, in);
    if (len > 0 && line[len - 1] == '\n') line[len - 1] = 0;
    if (prev && (len < 0 || !uniq_same(prev, line))) {
      if (!((only_dup && count < 2) || (only_uniq && count > 1))) {
        if (counts) fprintf(out, "%7ld ", count);
        fprintf(out, "%s\n", prev);
      }
      free(prev);
      prev = NULL;
    }
    if (len < 0) break;
    if (prev) count++;
    else prev = tb_strdup(line), count = 1;
  }
  free(line);
  if (out != stdout) fclose(out);
  return 0;
}
