/* sort: lines of files by keys (-k, -t), numerically (-n, -g), folded (-f), reversed,
 * unique; ties broken by the whole line unless -s, as busybox's. A merge sort, so lines
 * still equal keep their input order. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text_usage.h"
#include "textopt.h"
#include "toolbox.h"

enum { SK_N = 1, SK_R = 2, SK_F = 4, SK_B = 8, SK_G = 16 };

struct sort_key {
  int start_field, start_char, end_field, end_char; /* end_field 0: to the line's end */
  int flags;
};

static struct sort_key *sort_keys;
static int sort_nkeys, sort_global, sort_stable;
static char sort_sep;

/* "N[.C][flags][,M[.C][flags]]"; 0 when it is malformed. */
static int sort_flag(char c) {
  const char *all = "nrfbg";
  const char *p = strchr(all, c);
  return c && p ? 1 << (p - all) : 0;
}

static int sort_parse_key(const char *s, struct sort_key *k) {
  memset(k, 0, sizeof *k);
  char *end;
  k->start_field = (int)strtol(s, &end, 10);
  if (end == s || k->start_field < 1) return 0;
  k->start_char = 1;
  if (*end == '.') {
    s = end + 1;
    k->start_char = (int)strtol(s, &end, 10);
    if (end == s || k->start_char < 1) return 0;
  }
  for (int f; (f = sort_flag(*end)); end++) k->flags |= f;
  if (*end == ',') {
    s = end + 1;
    k->end_field = (int)strtol(s, &end, 10);
    if (end == s || k->end_field < 1) return 0;
    if (*end == '.') {
      s = end + 1;
      k->end_char = (int)strtol(s, &end, 10);
      if (end == s) return 0;
    }
    for (int f; (f = sort_flag(*end)); end++) k->flags |= f;
  }
  return *end == 0;
}

/* Where field N (1-based) starts in [p, e): after N-1 separators, or (without -t) after
 * N-1 runs of blanks and non-blanks, so the field keeps its leading blanks. */
static const char *sort_field(const char *p, const char *e, int n) {
  for (int i = 1; i < n && p < e; i++) {
    if (sort_sep) {
      while (p < e && *p != sort_sep) p++;
      if (p < e) p++;
    } else {
      while (p < e && isblank((unsigned char)*p)) p++;
      while (p < e && !isblank((unsigned char)*p)) p++;
    }
  }
  return p;
}

static const char *sort_field_end(const char *p, const char *e) {
  if (sort_sep) {
    while (p < e && *p != sort_sep) p++;
  } else {
    while (p < e && isblank((unsigned char)*p)) p++;
    while (p < e && !isblank((unsigned char)*p)) p++;
  }
  return p;
}

static void sort_key_span(const char *line, const struct sort_key *k, int flags, const char **from, const char **to) {
  const char *e = line + strlen(line);
  const char *p = sort_field(line, e, k->start_field);
  if (flags & SK_B)
    while (p < e && isblank((unsigned char)*p)) p++;
  p += k->start_char - 1;
  if (p > e) p = e;
  const char *q = e;
  if (k->end_field) {
    q = sort_field(line, e, k->end_field);
    if (k->end_char) {
      if (flags & SK_B)
        while (q < e && isblank((unsigned char)*q)) q++;
      q += k->end_char;
      if (q > e) q = e;
    } else
      q = sort_field_end(q, e);
  }
  if (q < p) q = p;
  *from = p, *to = q;
}

static int sort_compare_span(const char *a, const char *ae, const char *b, const char *be, int flags) {
  int r;
  if (flags & SK_B) {
    while (a < ae && isblank((unsigned char)*a)) a++;
    while (b < be && isblank((unsigned char)*b)) b++;
  }
  if (flags & (SK_N | SK_G)) {
    char *ca = strndup(a, (size_t)(ae - a)), *cb = strndup(b, (size_t)(be - b));
    double x = strtod(ca, NULL), y = strtod(cb, NULL);
    free(ca), free(cb);
    r = x < y ? -1 : x > y;
  } else {
    size_t la = (size_t)(ae - a), lb = (size_t)(be - b), n = la < lb ? la : lb;
    r = 0;
    for (size_t i = 0; i < n && !r; i++) {
      int x = (unsigned char)a[i], y = (unsigned char)b[i];
      if (flags & SK_F) x = toupper(x), y = toupper(y);
      r = x - y;
    }
    if (!r) r = la < lb ? -1 : la > lb;
  }
  return flags & SK_R ? -r : r;
}

/* By the keys only (what -u calls equal). */
static int sort_compare_keys(const char *a, const char *b) {
  if (!sort_nkeys) return sort_compare_span(a, a + strlen(a), b, b + strlen(b), sort_global);
  for (int i = 0; i < sort_nkeys; i++) {
    int flags = sort_keys[i].flags ? sort_keys[i].flags : sort_global;
    const char *a0, *a1, *b0, *b1;
    sort_key_span(a, &sort_keys[i], flags, &a0, &a1);
    sort_key_span(b, &sort_keys[i], flags, &b0, &b1);
    int r = sort_compare_span(a0, a1, b0, b1, flags);
    if (r) return r;
  }
  return 0;
}

static int sort_compare(const char *a, const char *b) {
  int r = sort_compare_keys(a, b);
  if (r || sort_stable) return r;
  r = strcmp(a, b);
  return sort_global & SK_R ? -r : r;
}

static void sort_merge(char **v, char **tmp, size_t n) {
  if (n < 2) return;
  size_t h = n / 2;
  sort_merge(v, tmp, h);
  sort_merge(v + h, tmp, n - h);
  size_t i = 0, j = h, k = 0;
  while (i < h && j < n) tmp[k++] = sort_compare(v[j], v[i]) < 0 ? v[j++] : v[i++];
  while (i < h) tmp[k++] = v[i++];
  while (j < n) tmp[k++] = v[j++];
  memcpy(v, tmp, n * sizeof *v);
}

int applet_sort(int argc, char **argv) {
  int opt, unique = 0;
  const char *outfile = NULL;
  textopt_permute(argc, argv, "nrufbgsk:t:o:");
  while ((opt = getopt(argc, argv, ":nrufbgsk:t:o:")) != -1) {
    if (opt == 'u') unique = 1;
    else if (opt == 's') sort_stable = 1;
    else if (opt == 'o') outfile = optarg;
    else if (opt == 'k') {
      sort_keys = tb_realloc(sort_keys, sizeof *sort_keys * (size_t)(sort_nkeys + 1));
      if (!sort_parse_key(optarg, &sort_keys[sort_nkeys++])) {
        tb_error("bad field specification");
        return 2;
      }
    } else if (opt == 't') {
      if (!optarg[0] || optarg[1]) {
        tb_error("bad -t parameter");
        return 2;
      }
      sort_sep = optarg[0];
    } else if (opt != '?' && opt != ':') sort_global |= sort_flag((char)opt);
    else return textopt_bad(opt, USAGE_SORT, 2);
  }
  char **lines = NULL;
  size_t n = 0, cap = 0;
  static char *dash[] = {"-", NULL};
  char **files = optind < argc ? argv + optind : dash;
  for (; *files; files++) {
    FILE *f = strcmp(*files, "-") ? fopen(*files, "r") : stdin;
    if (!f) {
      tb_error("%s: %s", *files, strerror(errno));
      return 2;
    }
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, f)) >= 0) {
      if (len && line[len - 1] == '\n') line[len - 1] = 0;
      if (n == cap) lines = tb_realloc(lines, (cap = cap ? cap * 2 : 256) * sizeof *lines);
      lines[n++] = line;
      line = NULL, lcap = 0;
    }
    free(line);
    if (f != stdin) fclose(f);
  }
  char **tmp = tb_malloc(sizeof *tmp * (n ? n : 1));
  sort_merge(lines, tmp, n);
  FILE *out = stdout;
  if (outfile && !(out = fopen(outfile, "w"))) {
    tb_error("can't open '%s': %s", outfile, strerror(errno));
    return 2;
  }
  for (size_t i = 0, kept = 0; i < n; i++) {
    if (unique && i > 0 && sort_compare_keys(lines[kept], lines[i]) == 0) continue;
    kept = i;
    fputs(lines[i], out);
    putc('\n', out);
  }
  if (out != stdout) fclose(out);
  return 0;
}
