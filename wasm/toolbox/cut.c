/* cut: bytes, characters or fields of lines by a list of positions and ranges, as
 * busybox's (ranges sorted and overlapping ones merged; a field range past the line's
 * last field still gives its delimiter, as busybox does). */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text_usage.h"
#include "textopt.h"
#include "toolbox.h"

struct cut_range {
  long start, end; /* 1-based, inclusive */
};

static long cut_number(const char *s, const char *e) {
  char *end;
  long n = strtol(s, &end, 10);
  if (end == s || end != e || *s == '-' || *s == '+') {
    tb_error("invalid number '%.*s'", (int)(strlen(s)), s);
    exit(1);
  }
  return n;
}

static int cut_by_start(const void *a, const void *b) {
  long x = ((const struct cut_range *)a)->start, y = ((const struct cut_range *)b)->start;
  return x < y ? -1 : x > y;
}

/* "N", "N-", "-M", "N-M" separated by commas; sorted and merged unless keep_order. */
static struct cut_range *cut_parse(char *list, int *count, int keep_order) {
  struct cut_range *r = NULL;
  int n = 0;
  if (!*list) {
    tb_error("missing list of positions");
    exit(1);
  }
  for (char *item = strtok(list, ","); item; item = strtok(NULL, ",")) {
    r = tb_realloc(r, sizeof *r * (size_t)(n + 1));
    char *dash = strchr(item, '-');
    if (!dash) {
      r[n].start = r[n].end = cut_number(item, item + strlen(item));
      if (r[n].end < 1) r[n].end = 1; /* busybox takes 0 as 1 */
    }
    else {
      r[n].start = dash == item ? 1 : cut_number(item, dash);
      r[n].end = dash[1] ? cut_number(dash + 1, dash + 1 + strlen(dash + 1)) : LONG_MAX;
    }
    if (r[n].start < 1) r[n].start = 1;
    n++;
  }
  if (!keep_order && n > 1) {
    qsort(r, (size_t)n, sizeof *r, cut_by_start);
    int k = 0;
    for (int i = 1; i < n; i++)
      if (r[i].start <= r[k].end) {
        if (r[i].end > r[k].end) r[k].end = r[i].end;
      } else
        r[++k] = r[i];
    n = k + 1;
  }
  *count = n;
  return r;
}

static void cut_fields(const char *line, size_t len, char delim, const char *odelim, const struct cut_range *r,
                       int nr, int only_delimited) {
  if (!memchr(line, delim, len)) {
    if (!only_delimited) fwrite(line, 1, len, stdout), putchar('\n');
    return;
  }
  /* the fields' offsets */
  size_t nf = 1;
  for (size_t i = 0; i < len; i++) nf += line[i] == delim;
  size_t *at = tb_malloc(sizeof *at * (nf + 1));
  at[0] = 0;
  for (size_t i = 0, k = 1; i < len; i++)
    if (line[i] == delim) at[k++] = i + 1;
  at[nf] = len + 1;
  int printed = 0;
  for (int i = 0; i < nr; i++) {
    if ((size_t)r[i].start > nf) {
      if (printed++) fputs(odelim, stdout);
      continue;
    }
    for (long f = r[i].start; f <= r[i].end && (size_t)f <= nf; f++) {
      if (printed++) fputs(odelim, stdout);
      fwrite(line + at[f - 1], 1, at[f] - at[f - 1] - 1, stdout);
    }
  }
  putchar('\n');
  free(at);
}

static void cut_chars(const char *line, size_t len, const struct cut_range *r, int nr) {
  for (int i = 0; i < nr; i++)
    for (long c = r[i].start; c <= r[i].end && (size_t)c <= len; c++) putchar(line[c - 1]);
  putchar('\n');
}

int applet_cut(int argc, char **argv) {
  int opt, only_delimited = 0, keep_order = 0, lists = 0;
  char delim = '\t', *list = NULL;
  const char *odelim = NULL;
  int by_field = 0;
  textopt_permute(argc, argv, "b:c:f:d:O:sDn");
  while ((opt = getopt(argc, argv, ":b:c:f:d:O:sDn")) != -1) {
    if (opt == 'b' || opt == 'c' || opt == 'f') list = optarg, by_field = opt == 'f', lists++;
    else if (opt == 'd') delim = optarg[0];
    else if (opt == 'O') odelim = optarg;
    else if (opt == 's') only_delimited = 1;
    else if (opt == 'D') keep_order = 1;
    else if (opt != 'n') return textopt_bad(opt, USAGE_CUT, 1);
  }
  if (lists > 1) return textopt_usage(USAGE_CUT, 1);
  if (!list) {
    tb_error("expected a list of bytes, characters, or fields");
    return 1;
  }
  char dbuf[2] = {delim, 0};
  if (!odelim) odelim = dbuf;
  int nr;
  struct cut_range *r = cut_parse(list, &nr, keep_order);
  static char *dash[] = {"-", NULL};
  char **files = optind < argc ? argv + optind : dash;
  int status = 0;
  char *line = NULL;
  size_t cap = 0;
  for (; *files; files++) {
    FILE *f = strcmp(*files, "-") ? fopen(*files, "r") : stdin;
    if (!f) {
      tb_error("%s: %s", *files, strerror(errno));
      status = 1;
      continue;
    }
    ssize_t len;
    while ((len = getline(&line, &cap, f)) >= 0) {
      if (len && line[len - 1] == '\n') len--;
      if (by_field) cut_fields(line, (size_t)len, delim, odelim, r, nr, only_delimited);
      else cut_chars(line, (size_t)len, r, nr);
    }
    if (f != stdin) fclose(f);
  }
  free(line);
  return status;
}
