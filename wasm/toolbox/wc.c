/* wc: lines, words, bytes (and the longest line) of files, in busybox's columns. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "text_usage.h"
#include "textopt.h"
#include "toolbox.h"

enum { WC_LINES, WC_WORDS, WC_CHARS, WC_LONGEST, WC_N };

/* One row: a column per wanted count; padded unless it is the only number on the line. */
static void wc_row(const unsigned long long *v, const int *want, int pad, const char *name) {
  const char *sep = "";
  for (int k = 0; k < WC_N; k++)
    if (want[k]) {
      printf(pad ? "%s%9llu" : "%s%llu", sep, v[k]);
      sep = " ";
    }
  if (name) printf(" %s", name);
  putchar('\n');
}

int applet_wc(int argc, char **argv) {
  int want[WC_N] = {0}, opt, status = 0, any = 0;
  textopt_permute(argc, argv, "lwcmL");
  while ((opt = getopt(argc, argv, ":lwcmL")) != -1) {
    if (opt == 'l') want[WC_LINES] = 1;
    else if (opt == 'w') want[WC_WORDS] = 1;
    else if (opt == 'c' || opt == 'm') want[WC_CHARS] = 1;
    else if (opt == 'L') want[WC_LONGEST] = 1;
    else return textopt_bad(opt, USAGE_WC, 1);
    any = 1;
  }
  if (!any) want[WC_LINES] = want[WC_WORDS] = want[WC_CHARS] = 1;
  int columns = want[0] + want[1] + want[2] + want[3];
  int nfiles = argc - optind;
  int pad = !(columns == 1 && nfiles <= 1);
  unsigned long long total[WC_N] = {0};
  for (int i = 0; i < (nfiles ? nfiles : 1); i++) {
    const char *name = nfiles ? argv[optind + i] : NULL;
    FILE *f = name && strcmp(name, "-") ? fopen(name, "r") : stdin;
    if (!f) {
      tb_error("%s: %s", name, strerror(errno));
      status = 1;
      continue;
    }
    unsigned long long v[WC_N] = {0}, linelen = 0;
    int c, in_word = 0;
    while ((c = getc(f)) != EOF) {
      v[WC_CHARS]++;
      if (c == '\n') {
        v[WC_LINES]++;
        if (linelen > v[WC_LONGEST]) v[WC_LONGEST] = linelen;
        linelen = 0;
      } else if (c == '\t') linelen = (linelen | 7) + 1;
      else if (isprint(c)) linelen++;
      if (isspace(c)) in_word = 0;
      else if (!in_word && isprint(c)) in_word = 1, v[WC_WORDS]++;
    }
    if (linelen > v[WC_LONGEST]) v[WC_LONGEST] = linelen;
    if (f != stdin) fclose(f);
    for (int k = 0; k < WC_N; k++)
      if (k == WC_LONGEST) total[k] = v[k] > total[k] ? v[k] : total[k];
      else total[k] += v[k];
    wc_row(v, want, pad, name);
  }
  if (nfiles > 1) wc_row(total, want, pad, "total");
  return status;
}
