/* sleep, yes, seq and clear, as busybox's. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fileops.h"
#include "fileops_usage.h"

/* N[.N][smhd] (or inf) in seconds; -1 if invalid. */
static double duration(const char *s) {
  if (!strcmp(s, "inf") || !strcmp(s, "infinity")) return INFINITY;
  size_t digits = strspn(s, "0123456789."), len = strlen(s);
  if (!digits || !strchr("0123456789", s[strspn(s, ".")]) || strchr(strchr(s, '.') ? strchr(s, '.') + 1 : "", '.'))
    return -1;
  double scale = 1;
  if (len == digits + 1) {
    const char *u = strchr("smhd", s[digits]);
    if (!u || !s[digits]) return -1;
    scale = (double[]){1, 60, 3600, 86400}[u - "smhd"];
  } else if (len != digits)
    return -1;
  return strtod(s, NULL) * scale;
}

int applet_sleep(int argc, char **argv) {
  if (argc < 2) return fo_usage(USAGE_SLEEP);
  double total = 0;
  for (int i = 1; i < argc; i++) {
    double d = duration(argv[i]);
    if (d < 0) {
      tb_error("invalid number '%s'", argv[i]);
      return 1;
    }
    total += d;
  }
  while (total > 0) {
    double chunk = total > 1e6 ? 1e6 : total;
    struct timespec ts = {(time_t)chunk, (long)((chunk - (double)(time_t)chunk) * 1e9)};
    if (nanosleep(&ts, NULL) && errno != EINTR) break;
    if (!isinf(total)) total -= chunk;
  }
  return 0;
}

int applet_yes(int argc, char **argv) {
  size_t len = 0;
  for (int i = 1; i < argc; i++) len += strlen(argv[i]) + 1;
  char *line = tb_malloc(len + 2);
  line[0] = 0;
  for (int i = 1; i < argc; i++) strcat(strcat(line, argv[i]), i + 1 < argc ? " " : "");
  if (argc < 2) strcpy(line, "y");
  strcat(line, "\n");
  /* a buffer of whole lines, written until the reader goes away */
  size_t one = strlen(line), n = 0;
  char *buf = tb_malloc(one > 4096 ? one : 4096 + one);
  do memcpy(buf + n, line, one), n += one;
  while (n + one <= 4096);
  for (;;)
    for (size_t off = 0; off < n;) {
      ssize_t w = write(1, buf + off, n - off);
      if (w < 0) return 1;
      off += (size_t)w;
    }
}

/* Digits after the point in a number as written (seq prints that many). */
static int decimals(const char *s) {
  const char *dot = strchr(s, '.');
  return dot ? (int)strspn(dot + 1, "0123456789") : 0;
}

static int seq_number(const char *s, double *v) {
  char *end;
  *v = strtod(s, &end);
  return !*s || *end;
}

int applet_seq(int argc, char **argv) {
  struct fo_opts o;
  char **ops;
  int n = fo_getopt(argc, argv, "+ws:", USAGE_SEQ, &o, &ops);
  if (n < 0) return 1;
  if (n < 1 || n > 3) return fo_usage(USAGE_SEQ);
  double first = 1, inc = 1, last;
  int prec = 0;
  if (seq_number(ops[n - 1], &last)) return fo_usage(USAGE_SEQ);
  if (n > 1) {
    if (seq_number(ops[0], &first)) return fo_usage(USAGE_SEQ);
    prec = decimals(ops[0]);
  }
  if (n > 2) {
    if (seq_number(ops[1], &inc)) return fo_usage(USAGE_SEQ);
    if (decimals(ops[1]) > prec) prec = decimals(ops[1]);
  }
  int width = 0;
  if (o.seen['w']) {
    char a[64], b[64];
    int wa = snprintf(a, sizeof a, "%.*f", prec, first), wb = snprintf(b, sizeof b, "%.*f", prec, last);
    width = wa > wb ? wa : wb;
  }
  const char *sep = o.arg['s'] ? o.arg['s'] : "\n";
  int printed = 0;
  for (unsigned long i = 0;; i++) {
    double v = first + (double)i * inc;
    if (inc >= 0 ? v > last : v < last) break;
    if (printed++) fputs(sep, stdout);
    printf("%0*.*f", width, prec, v);
    if (ferror(stdout)) return 1;
  }
  if (printed) putchar('\n');
  return 0;
}

int applet_clear(int argc, char **argv) {
  (void)argc, (void)argv;
  fputs("\033[H\033[J", stdout);
  return 0;
}
