/* grep: lines matching POSIX regular expressions (or fixed strings) in files, directories
 * with -r/-R; prefixes, counts, names and exit codes (0 a line selected, 1 none, 2
 * trouble) as busybox's; context lines with -A/-B/-C. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "text_usage.h"
#include "textopt.h"
#include "toolbox.h"

static struct {
  int invert, icase, number, count, list, list_non, quiet, silent, fixed, extended, word, line, only, recurse;
  int prefix; /* -1 unset, 0 -h, 1 -H */
  long max_count;
} g;

static char **patterns;
static int npatterns, compiled;
static regex_t *regexes;
static int grep_trouble, grep_selected_any, grep_listed_non;

static void grep_add_pattern(const char *p) {
  /* a pattern with newlines is several patterns */
  const char *nl;
  while ((nl = strchr(p, '\n'))) {
    patterns = tb_realloc(patterns, sizeof *patterns * (size_t)(npatterns + 1));
    patterns[npatterns++] = strndup(p, (size_t)(nl - p));
    p = nl + 1;
  }
  patterns = tb_realloc(patterns, sizeof *patterns * (size_t)(npatterns + 1));
  patterns[npatterns++] = tb_strdup(p);
}

/* Compiled when the first line is read, as busybox does (an empty input never fails). */
static void grep_compile(void) {
  if (compiled++ || g.fixed) return;
  regexes = tb_malloc(sizeof *regexes * (size_t)npatterns);
  for (int i = 0; i < npatterns; i++)
    if (regcomp(&regexes[i], patterns[i], (g.extended ? REG_EXTENDED : 0) | (g.icase ? REG_ICASE : 0))) {
      tb_error("bad regex '%s'", patterns[i]);
      exit(2);
    }
}

/* First match of pattern I in LINE at or after FROM: 1 and [*so, *eo). */
static int grep_find(int i, const char *line, size_t len, size_t from, size_t *so, size_t *eo) {
  if (g.fixed) {
    const char *p = patterns[i];
    size_t n = strlen(p);
    for (size_t at = from; at + n <= len; at++)
      if (!(g.icase ? strncasecmp(line + at, p, n) : strncmp(line + at, p, n))) {
        *so = at, *eo = at + n;
        return 1;
      }
    return 0;
  }
  regmatch_t m;
  if (from > len || regexec(&regexes[i], line + from, 1, &m, from ? REG_NOTBOL : 0)) return 0;
  *so = from + (size_t)m.rm_so, *eo = from + (size_t)m.rm_eo;
  return 1;
}

static int grep_wordchar(int c) { return isalnum(c) || c == '_'; }

/* The leftmost match of any pattern at or after FROM that -w/-x accept. */
static int grep_match(const char *line, size_t len, size_t from, size_t *so, size_t *eo) {
  int found = 0;
  for (int i = 0; i < npatterns; i++) {
    size_t s, e, at = from;
    while (grep_find(i, line, len, at, &s, &e)) {
      int ok = 1;
      if (g.line) ok = s == 0 && e == len;
      else if (g.word)
        ok = (s == 0 || !grep_wordchar((unsigned char)line[s - 1])) && (e == len || !grep_wordchar((unsigned char)line[e]));
      if (ok) {
        if (!found || s < *so || (s == *so && e > *eo)) *so = s, *eo = e;
        found = 1;
        break;
      }
      if (g.line || s >= len) break;
      at = s + 1;
    }
  }
  return found;
}

/* Context (-A, -B, -C): lines before a match wait in a ring; "--" parts groups. */
static long ctx_before, ctx_after;
static int ctx_printed_any; /* anything printed yet, in any file: a later group gets "--" */

struct ctx_line {
  char *s;
  long lineno;
};

static void grep_print_line(const char *name, int show_name, long lineno, const char *s, size_t n, char sep,
                            long *last) {
  if ((ctx_before || ctx_after) && ctx_printed_any && lineno != *last + 1) puts("--");
  ctx_printed_any = 1;
  *last = lineno;
  if (show_name) printf("%s%c", name, sep);
  if (g.number) printf("%ld%c", lineno, sep);
  fwrite(s, 1, n, stdout);
  putchar('\n');
}

/* Searches one open file; 1 when a line was selected. */
static int grep_stream(FILE *f, const char *name, int show_name) {
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  long lineno = 0, selected = 0, last = -1, after_left = 0, nring = 0;
  int context = (ctx_before || ctx_after) && !g.count && !g.list && !g.list_non && !g.quiet;
  struct ctx_line *ring = context && ctx_before ? calloc((size_t)ctx_before, sizeof *ring) : NULL;
  int done = 0; /* -m reached: only trailing context is left */
  while ((len = getline(&line, &cap, f)) >= 0) {
    grep_compile();
    lineno++;
    if (len && line[len - 1] == '\n') line[--len] = 0;
    size_t so, eo;
    int hit = !done && grep_match(line, (size_t)len, 0, &so, &eo) != g.invert;
    if (!hit) {
      if (!context) continue;
      if (after_left > 0) {
        after_left--;
        grep_print_line(name, show_name, lineno, line, (size_t)len, '-', &last);
      } else if (done)
        break;
      else if (ring) {
        struct ctx_line *r = &ring[nring++ % ctx_before];
        free(r->s);
        r->s = strndup(line, (size_t)len), r->lineno = lineno;
      }
      continue;
    }
    if (context) {
      /* the waiting lines before this one, oldest first */
      for (long k = nring > ctx_before ? nring - ctx_before : 0; ring && k < nring; k++) {
        struct ctx_line *r = &ring[k % ctx_before];
        if (r->lineno > last) grep_print_line(name, show_name, r->lineno, r->s, strlen(r->s), '-', &last);
      }
      nring = 0;
      after_left = ctx_after;
    }
    hit = grep_match(line, (size_t)len, 0, &so, &eo);
    selected++;
    grep_selected_any = 1;
    if (g.quiet) exit(0);
    if (g.list || g.list_non) break;
    if (!g.count) {
      if (g.only) {
        if ((ctx_before || ctx_after) && ctx_printed_any && lineno != last + 1) puts("--");
        ctx_printed_any = 1, last = lineno;
        if (!g.invert)
          for (;;) {
            if (eo > so) {
              if (show_name) printf("%s:", name);
              if (g.number) printf("%ld:", lineno);
              printf("%.*s\n", (int)(eo - so), line + so);
            }
            size_t next = eo > so ? eo : so + 1;
            if (next > (size_t)len || !grep_match(line, (size_t)len, next, &so, &eo)) break;
          }
      } else
        grep_print_line(name, show_name, lineno, line, (size_t)len, ':', &last);
    }
    if (g.max_count > 0 && selected >= g.max_count) {
      if (!context || !after_left) break;
      done = 1;
    }
  }
  free(line);
  for (long k = 0; ring && k < ctx_before; k++) free(ring[k].s);
  free(ring);
  if (g.count) {
    if (show_name) printf("%s:", name);
    printf("%ld\n", selected);
  }
  if (g.list && selected) puts(name);
  if (g.list_non && !selected) puts(name), grep_listed_non = 1;
  return selected > 0;
}

static void grep_path(const char *path, int show_name, int top);

static void grep_dir(const char *path) {
  DIR *d = opendir(path);
  if (!d) {
    if (!g.silent) tb_error("%s: %s", path, strerror(errno));
    grep_trouble = 1;
    return;
  }
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    size_t n = strlen(path);
    char *sub = tb_malloc(n + strlen(e->d_name) + 2);
    sprintf(sub, "%s%s%s", path, n && path[n - 1] == '/' ? "" : "/", e->d_name);
    grep_path(sub, g.prefix != 0, 0);
    free(sub);
  }
  closedir(d);
}

static void grep_path(const char *path, int show_name, int top) {
  struct stat st;
  if (!strcmp(path, "-") && top) {
    grep_stream(stdin, "(standard input)", show_name);
    return;
  }
  /* below the top, -r does not follow links to directories; -R does */
  int follow = top || g.recurse == 2;
  int r = follow ? stat(path, &st) : lstat(path, &st);
  if (r == 0 && !follow && S_ISLNK(st.st_mode) && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) return;
  if (r == 0 && S_ISDIR(st.st_mode)) {
    if (g.recurse) grep_dir(path);
    return;
  }
  FILE *f = fopen(path, "r");
  if (!f) {
    if (!g.silent) tb_error("%s: %s", path, strerror(errno));
    grep_trouble = 1;
    return;
  }
  grep_stream(f, path, show_name);
  fclose(f);
}

static long grep_number(const char *s) {
  char *end;
  long n = strtol(s, &end, 10);
  if (end == s || *end || n < 0) {
    tb_error("invalid number '%s'", s);
    exit(2);
  }
  return n;
}

int applet_grep(int argc, char **argv) {
  int opt;
  g.prefix = -1;
  textopt_permute(argc, argv, "HhnlLcoqvsrRiwxFEe:f:m:A:B:C:");
  while ((opt = getopt(argc, argv, ":HhnlLcoqvsrRiwxFEe:f:m:A:B:C:")) != -1) {
    switch (opt) {
    case 'H': g.prefix = 1; break;
    case 'h': g.prefix = 0; break;
    case 'n': g.number = 1; break;
    case 'l': g.list = 1; break;
    case 'c': g.count = 1; break;
    case 'L': g.list_non = 1; break;
    case 'o': g.only = 1; break;
    case 'q': g.quiet = 1; break;
    case 'v': g.invert = 1; break;
    case 's': g.silent = 1; break;
    case 'r': if (!g.recurse) g.recurse = 1; break;
    case 'R': g.recurse = 2; break;
    case 'i': g.icase = 1; break;
    case 'w': g.word = 1; break;
    case 'x': g.line = 1; break;
    case 'F': g.fixed = 1; break;
    case 'E': g.extended = 1; break;
    case 'e': grep_add_pattern(optarg); break;
    case 'm': g.max_count = grep_number(optarg); break;
    case 'A': ctx_after = grep_number(optarg); break;
    case 'B': ctx_before = grep_number(optarg); break;
    case 'C': ctx_after = ctx_before = grep_number(optarg); break;
    case 'f': {
      FILE *pf = strcmp(optarg, "-") ? fopen(optarg, "r") : stdin;
      if (!pf) {
        tb_error("%s: %s", optarg, strerror(errno));
        return 2;
      }
      char *l = NULL;
      size_t cap = 0;
      ssize_t n;
      while ((n = getline(&l, &cap, pf)) >= 0) {
        if (n && l[n - 1] == '\n') l[n - 1] = 0;
        grep_add_pattern(l);
      }
      free(l);
      if (pf != stdin) fclose(pf);
      break;
    }
    default: return textopt_bad(opt, USAGE_GREP, 2);
    }
  }
  if (!npatterns) {
    if (optind >= argc) {
      return textopt_usage(USAGE_GREP, 2);
    }
    grep_add_pattern(argv[optind++]);
  }
  int nfiles = argc - optind;
  /* files found in a directory are named anyway (grep_dir) */
  int show_name = g.prefix >= 0 ? g.prefix : nfiles > 1;
  if (nfiles == 0) grep_stream(stdin, "(standard input)", g.prefix == 1);
  for (int i = optind; i < argc; i++) grep_path(argv[i], show_name, 1);
  if (grep_trouble) return 2;
  if (g.list_non) return !grep_listed_non; /* -L succeeds when it names a file */
  return grep_selected_any ? 0 : 1;
}
