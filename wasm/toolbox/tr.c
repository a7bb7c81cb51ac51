/* tr: translate, delete (-d) or squeeze (-s) characters of stdin; sets hold ranges
 * (a-z), escapes (\n, \101) and classes ([:alpha:]) (busybox has no [x*n]); -c
 * complements the first set. As busybox's: a short second set is padded with its last
 * character. */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "text_usage.h"
#include "textopt.h"
#include "toolbox.h"

/* One character of a set's source, escapes decoded; advances *s. */
static int tr_char(const char **s) {
  const char *p = *s;
  int c = (unsigned char)*p++;
  if (c == '\\' && *p) {
    if (*p >= '0' && *p <= '7') {
      c = 0;
      for (int i = 0; i < 3 && *p >= '0' && *p <= '7'; i++) c = c * 8 + (*p++ - '0');
      c &= 255;
    } else {
      const char *from = "abfnrtv\\", *to = "\a\b\f\n\r\t\v\\";
      const char *e = strchr(from, *p);
      c = e ? to[e - from] : (unsigned char)*p;
      p++;
    }
  }
  *s = p;
  return c;
}

static const struct {
  const char *name;
  int (*is)(int);
} tr_classes[] = {
    {"alnum", isalnum}, {"alpha", isalpha}, {"blank", isblank}, {"cntrl", iscntrl},
    {"digit", isdigit}, {"graph", isgraph}, {"lower", islower}, {"print", isprint},
    {"punct", ispunct}, {"space", isspace}, {"upper", isupper}, {"xdigit", isxdigit},
};

/* The set's characters in order into out (at most 4096). */
static int tr_expand(const char *s, unsigned char *out) {
  int n = 0;
  const int max = 4096;
  while (*s && n < max) {
    if (s[0] == '[' && s[1] == ':') {
      const char *end = strstr(s + 2, ":]");
      size_t k = 0, count = sizeof tr_classes / sizeof tr_classes[0];
      for (; end && k < count; k++)
        if (strlen(tr_classes[k].name) == (size_t)(end - s - 2) && !strncmp(s + 2, tr_classes[k].name, (size_t)(end - s - 2)))
          break;
      if (end && k < count) {
        for (int c = 0; c < 256 && n < max; c++)
          if (tr_classes[k].is(c)) out[n++] = (unsigned char)c;
        s = end + 2;
        continue;
      }
    }
    int c = tr_char(&s);
    if (s[0] == '-' && s[1]) {
      s++;
      int last = tr_char(&s);
      for (int x = c; x <= last && n < max; x++) out[n++] = (unsigned char)x;
      continue;
    }
    out[n++] = (unsigned char)c;
  }
  return n;
}

int applet_tr(int argc, char **argv) {
  int opt, complement = 0, del = 0, squeeze = 0;
  textopt_permute(argc, argv, "cCds");
  while ((opt = getopt(argc, argv, ":cCds")) != -1) {
    if (opt == 'c' || opt == 'C') complement = 1;
    else if (opt == 'd') del = 1;
    else if (opt == 's') squeeze = 1;
    else return textopt_bad(opt, USAGE_TR, 1);
  }
  int nargs = argc - optind;
  if (nargs < 1 || (del && squeeze && nargs < 2)) return textopt_usage(USAGE_TR, 1);
  static unsigned char set1[4096], set2[4096];
  int n1 = tr_expand(argv[optind], set1);
  if (complement) {
    unsigned char in[256] = {0};
    for (int i = 0; i < n1; i++) in[set1[i]] = 1;
    n1 = 0;
    for (int c = 0; c < 256; c++)
      if (!in[c]) set1[n1++] = (unsigned char)c;
  }
  int n2 = nargs > 1 ? tr_expand(argv[optind + 1], set2) : 0;
  int map[256], in1[256] = {0}, squeezable[256] = {0};
  for (int c = 0; c < 256; c++) map[c] = c;
  for (int i = 0; i < n1; i++) in1[set1[i]] = 1;
  int translate = !del && n2 > 0;
  if (translate)
    for (int i = 0; i < n1; i++) map[set1[i]] = set2[i < n2 ? i : n2 - 1];
  /* squeezed: the second set's characters, or the first's when there is no second */
  if (squeeze) {
    if (nargs > 1 && (translate || del))
      for (int i = 0; i < n2; i++) squeezable[set2[i]] = 1;
    else
      for (int i = 0; i < n1; i++) squeezable[set1[i]] = 1;
  }
  unsigned char buf[65536], out[65536];
  int last = -1;
  ssize_t r;
  while ((r = read(0, buf, sizeof buf)) > 0) {
    size_t k = 0;
    for (ssize_t i = 0; i < r; i++) {
      int c = buf[i];
      if (del && in1[c]) continue;
      c = map[c];
      if (squeeze && c == last && squeezable[c]) continue;
      last = c;
      out[k++] = (unsigned char)c;
    }
    if (write(1, out, k) < 0) return 1;
  }
  return 0;
}
