/*
 * Word expansion: parameter expansion ($VAR, ${VAR}, ${VAR:-word}, $?, $$, $#, $0…$9),
 * quote removal, and field splitting of unquoted expansion results on IFS.
 */
#include <ctype.h>
#include <dirent.h>
#include <fnmatch.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/sys.h"
#include "sh.h"

/* The word being built: characters, and for each whether it may split fields (1) and
   whether it may glob (2) — i.e. it was not quoted. */
struct buf {
  char *s;
  char *split;
  size_t n, cap;
  int quoted; /* the word had quotes: it yields a field even if empty */
  int empty_at; /* it holds a "$@" with no arguments: then "$@" alone yields no field */
};

static void put(struct buf *b, char c, int splittable) {
  if (b->n + 2 > b->cap) {
    b->cap = b->cap ? b->cap * 2 : 64;
    b->s = realloc(b->s, b->cap);
    b->split = realloc(b->split, b->cap);
    if (!b->s || !b->split) die_oom();
  }
  b->s[b->n] = c;
  b->split[b->n] = (char)splittable;
  b->n++;
}

static void puts_(struct buf *b, const char *s, int splittable) {
  while (*s) put(b, *s++, splittable);
}

long arith(const char *expr);
extern int nounset; /* set -u */
extern char **script_args; /* $1… */
extern int script_argc;
extern const char *script_name;

/* The value of parameter `name` (NULL if unset). */
static const char *param(const char *name, char *tmp, size_t tmplen) {
  if (!strcmp(name, "?")) {
    snprintf(tmp, tmplen, "%d", last_status);
    return tmp;
  }
  if (!strcmp(name, "$")) {
    snprintf(tmp, tmplen, "%d", shell_pid);
    return tmp;
  }
  if (!strcmp(name, "!")) {
    extern int last_bg_pid;
    if (!last_bg_pid) return NULL;
    snprintf(tmp, tmplen, "%d", last_bg_pid);
    return tmp;
  }
  if (!strcmp(name, "#")) {
    snprintf(tmp, tmplen, "%d", script_argc);
    return tmp;
  }
  if (!strcmp(name, "0")) return script_name;
  if (isdigit((unsigned char)name[0])) {
    int k = atoi(name);
    return k <= script_argc ? script_args[k - 1] : NULL;
  }
  if (!strcmp(name, "@") || !strcmp(name, "*")) {
    tmp[0] = 0;
    for (int i = 0; i < script_argc; i++) {
      if (i) strncat(tmp, " ", tmplen - strlen(tmp) - 1);
      strncat(tmp, script_args[i], tmplen - strlen(tmp) - 1);
    }
    return tmp;
  }
  return getenv(name);
}

/* The end of a $( … ) whose '(' is at raw[j] (index after the ')'). */
static size_t subst_end(const char *raw, size_t j) {
  int depth = 0;
  for (; raw[j]; j++) {
    if (raw[j] == '\\' && raw[j + 1]) j++;
    else if (raw[j] == '\'') {
      for (j++; raw[j] && raw[j] != '\''; j++) {
      }
    } else if (raw[j] == '(') depth++;
    else if (raw[j] == ')' && --depth == 0) return j + 1;
  }
  return j;
}

static void substitute(const char *raw, size_t from, size_t to, struct buf *b, int quoted, int backquoted) {
  char *script = xmalloc(to - from + 1);
  size_t n = 0;
  for (size_t k = from; k < to; k++) {
    /* inside `…`, a backslash before $ ` or \ only quotes it (so `…\`…\`…` nests) */
    if (backquoted && raw[k] == '\\' && k + 1 < to && strchr("$`\\", raw[k + 1])) k++;
    script[n++] = raw[k];
  }
  script[n] = 0;
  char *out = command_output(script);
  puts_(b, out, quoted ? 0 : 3);
  free(out);
  free(script);
}

/* Expand the $… at raw[*i] into b. */
static void dollar(const char *raw, size_t *i, struct buf *b, int quoted) {
  char name[256], tmp[4096];
  size_t j = *i + 1;
  const char *val = NULL;
  if (raw[j] == '(' && raw[j + 1] == '(') {
    /* $(( arithmetic )) */
    size_t end = subst_end(raw, j);
    char expr[1024];
    size_t len = end - j - 4 < sizeof expr - 1 ? end - j - 4 : sizeof expr - 1;
    memcpy(expr, raw + j + 2, len);
    expr[len] = 0;
    char *e = expand_one(expr);
    snprintf(tmp, sizeof tmp, "%ld", arith(e));
    free(e);
    puts_(b, tmp, quoted ? 0 : 3);
    *i = end;
    return;
  }
  if (raw[j] == '(') {
    size_t end = subst_end(raw, j);
    substitute(raw, j + 1, end - 1, b, quoted, 0);
    *i = end;
    return;
  }
  if (raw[j] == '{' && raw[j + 1] == '#' && raw[j + 2] != '}') {
    /* ${#VAR}: length */
    size_t k = j + 2, n = 0;
    while (raw[k] && raw[k] != '}' && n + 1 < sizeof name) name[n++] = raw[k++];
    name[n] = 0;
    const char *v = param(name, tmp, sizeof tmp);
    char len[32];
    snprintf(len, sizeof len, "%zu", v ? strlen(v) : (size_t)0);
    puts_(b, len, quoted ? 0 : 3);
    *i = raw[k] == '}' ? k + 1 : k;
    return;
  }
  if (raw[j] == '{') {
    size_t k = j + 1, n = 0;
    while (raw[k] && raw[k] != '}' && raw[k] != ':' && raw[k] != '-' && raw[k] != '#' && raw[k] != '%' &&
           raw[k] != '+' && raw[k] != '=' && raw[k] != '?' && n + 1 < sizeof name)
      name[n++] = raw[k++];
    if (n == 0 && raw[k] == '#') name[n++] = raw[k++]; /* ${#} */
    name[n] = 0;
    val = param(name, tmp, sizeof tmp);
    if (val == NULL && nounset && raw[k] == '}' && strcmp(name, "@") && strcmp(name, "*")) {
      fprintf(stderr, "sh: %s: parameter not set\n", name);
      fflush(stdout);
      exit(2);
    }
    if (raw[k] == '#' || raw[k] == '%') {
      /* ${VAR#pat} ${VAR##pat} ${VAR%pat} ${VAR%%pat}: remove a matching prefix/suffix */
      char op = raw[k++];
      int longest = raw[k] == op;
      if (longest) k++;
      size_t ps = k;
      while (raw[k] && raw[k] != '}') k++;
      char pat[1024];
      size_t pl = k - ps < sizeof pat - 1 ? k - ps : sizeof pat - 1;
      memcpy(pat, raw + ps, pl);
      pat[pl] = 0;
      char *pe = expand_one(pat);
      const char *v = val ? val : "";
      size_t vl = strlen(v);
      char *work = xmalloc(vl + 1);
      size_t best = (size_t)-1;
      for (size_t cut = 0; cut <= vl; cut++) {
        size_t at = op == '#' ? (longest ? vl - cut : cut) : (longest ? cut : vl - cut);
        if (op == '#') {
          memcpy(work, v, at);
          work[at] = 0;
        } else
          strcpy(work, v + at);
        if (match_pattern(pe, work)) {
          best = at;
          break;
        }
      }
      if (best != (size_t)-1) {
        if (op == '#') snprintf(tmp, sizeof tmp, "%s", v + best);
        else
          snprintf(tmp, sizeof tmp, "%.*s", (int)best, v);
        val = tmp;
      }
      free(work);
      free(pe);
      *i = raw[k] == '}' ? k + 1 : k;
      if (val) puts_(b, val, quoted ? 0 : 3);
      return;
    }
    if (raw[k] == ':' || raw[k] == '-' || raw[k] == '+' || raw[k] == '=' || raw[k] == '?') {
      int colon = raw[k] == ':';
      if (colon) k++;
      char op = raw[k++];
      size_t ws = k;
      while (raw[k] && raw[k] != '}') k++;
      char word[1024];
      size_t wl = k - ws < sizeof word - 1 ? k - ws : sizeof word - 1;
      memcpy(word, raw + ws, wl);
      word[wl] = 0;
      int unset = val == NULL || (colon && val[0] == 0);
      if (op == '-' && unset) val = expand_one(word);
      else if (op == '+') val = unset ? "" : expand_one(word);
      else if (op == '=' && unset) {
        val = expand_one(word);
        setenv(name, val, 1);
      } else if (op == '?' && unset) {
        /* ${VAR?message}: fail, as an unset variable under set -u does */
        char *msg = expand_one(word);
        fprintf(stderr, "sh: %s: %s\n", name, *msg ? msg : colon ? "parameter not set or null" : "parameter not set");
        fflush(stdout);
        exit(2);
      }
    }
    *i = raw[k] == '}' ? k + 1 : k;
  } else if (raw[j] == '@' && quoted) {
    /* "$@": each argument its own field, separated by hard breaks (flag 4) */
    for (int a = 0; a < script_argc; a++) {
      if (a) put(b, ' ', 4);
      puts_(b, script_args[a], 0);
    }
    if (script_argc == 0) b->empty_at = 1;
    *i = j + 1;
    return;
  } else if (raw[j] && strchr("?$#@*!0123456789", raw[j])) {
    name[0] = raw[j];
    name[1] = 0;
    val = param(name, tmp, sizeof tmp);
    *i = j + 1;
  } else if (isalpha((unsigned char)raw[j]) || raw[j] == '_') {
    size_t n = 0;
    while ((isalnum((unsigned char)raw[j]) || raw[j] == '_') && n + 1 < sizeof name) name[n++] = raw[j++];
    name[n] = 0;
    val = param(name, tmp, sizeof tmp);
    if (val == NULL && nounset) {
      fprintf(stderr, "sh: %s: parameter not set\n", name);
      fflush(stdout);
      exit(2);
    }
    *i = j;
  } else {
    put(b, '$', 0);
    *i = j;
    return;
  }
  if (val) puts_(b, val, quoted ? 0 : 3);
}

/* Expand one raw word into b (no splitting yet). */
static void expand_into(const char *raw, struct buf *b) {
  size_t i = 0;
  while (raw[i]) {
    char c = raw[i];
    if (c == '\\') {
      if (raw[i + 1]) put(b, raw[i + 1], 0);
      b->quoted = 1;
      i += raw[i + 1] ? 2 : 1;
    } else if (c == '\'') {
      b->quoted = 1;
      i++;
      while (raw[i] && raw[i] != '\'') put(b, raw[i++], 0);
      if (raw[i]) i++;
    } else if (c == '"') {
      b->quoted = 1;
      i++;
      while (raw[i] && raw[i] != '"') {
        if (raw[i] == '\\' && raw[i + 1] && strchr("$`\"\\\n", raw[i + 1])) {
          put(b, raw[i + 1], 0);
          i += 2;
        } else if (raw[i] == '$')
          dollar(raw, &i, b, 1);
        else if (raw[i] == '`') {
          size_t k = i + 1;
          while (raw[k] && raw[k] != '`') k += (raw[k] == '\\' && raw[k + 1]) ? 2 : 1;
          substitute(raw, i + 1, k, b, 1, 1);
          i = raw[k] ? k + 1 : k;
        } else
          put(b, raw[i++], 0);
      }
      if (raw[i]) i++;
    } else if (c == '$')
      dollar(raw, &i, b, 0);
    else if (c == '`') {
      size_t k = i + 1;
      while (raw[k] && raw[k] != '`') k += (raw[k] == '\\' && raw[k + 1]) ? 2 : 1;
      substitute(raw, i + 1, k, b, 0, 1);
      i = raw[k] ? k + 1 : k;
    } else
      put(b, raw[i++], 2);
  }
}

/* A here-document body: expanded as inside double quotes ($, `, \ special; quotes literal). */
char *expand_heredoc(const char *body) {
  size_t n = strlen(body);
  char *w = xmalloc(2 * n + 3), *p = w;
  *p++ = '"';
  for (const char *q = body; *q; q++) {
    if (*q == '"') *p++ = '\\';
    *p++ = *q;
  }
  *p++ = '"';
  *p = 0;
  char *out = expand_one(w);
  free(w);
  return out;
}

char *expand_one(const char *raw) {
  struct buf b = {0};
  expand_into(raw, &b);
  put(&b, 0, 0);
  free(b.split);
  return b.s;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

struct matches {
  char **v;
  int n, cap;
};

static void add_match(struct matches *m, const char *path) {
  if (m->n + 1 >= m->cap) {
    m->cap = m->cap ? m->cap * 2 : 16;
    m->v = realloc(m->v, (size_t)m->cap * sizeof *m->v);
    if (!m->v) die_oom();
  }
  m->v[m->n++] = xstrdup(path);
}

/* Match the components of `pat` (from `rest`) under directory `dir` (shown as `shown`). */
static void glob_walk(const char *dir, const char *shown, const char *rest, struct matches *m) {
  const char *slash = strchr(rest, '/');
  size_t len = slash ? (size_t)(slash - rest) : strlen(rest);
  char comp[256];
  if (len >= sizeof comp) return;
  memcpy(comp, rest, len);
  comp[len] = 0;
  const char *next = slash ? slash + 1 : NULL;
  while (next && *next == '/') next++;
  DIR *d = opendir(dir);
  if (!d) return;
  /* a pattern starting with '.' also matches . and .. (as busybox and bash do) */
  int dots = comp[0] == '.' ? 2 : 0;
  struct dirent *e = NULL;
  for (;;) {
    const char *name;
    if (dots > 0) name = dots-- == 2 ? "." : "..";
    else {
      if ((e = readdir(d)) == NULL) break;
      name = e->d_name;
      if (!strcmp(name, ".") || !strcmp(name, "..")) continue;
    }
    if (fnmatch(comp, name, FNM_PERIOD) != 0) continue;
    char path[4096], show[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(show, sizeof show, "%s%s", shown, name);
    if (next && *next) {
      char shown2[4096];
      snprintf(shown2, sizeof shown2, "%s/", show);
      glob_walk(path, shown2, next, m);
    } else if (!next)
      add_match(m, show);
    else {
      struct stat st;
      if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        char withslash[4096];
        snprintf(withslash, sizeof withslash, "%s/", show);
        add_match(m, withslash);
      }
    }
  }
  closedir(d);
}

/* The paths matching a glob pattern, sorted; count 0 if none. */
static char **glob_paths(const char *pat, int *count) {
  struct matches m = {0};
  if (pat[0] == '/') {
    const char *rest = pat;
    while (*rest == '/') rest++;
    glob_walk("/", "/", rest, &m);
  } else
    glob_walk(".", "", pat, &m);
  if (m.n > 1) qsort(m.v, (size_t)m.n, sizeof *m.v, cmp_str);
  *count = m.n;
  return m.v;
}

char **expand_words(char **raw, int n, int *out_count) {
  size_t cap = (size_t)n + 8, count = 0;
  char **out = xmalloc(cap * sizeof *out);
  const char *ifs = getenv("IFS");
  if (!ifs) ifs = " \t\n";
  for (int w = 0; w < n; w++) {
    struct buf b = {0};
    expand_into(raw[w], &b);
    size_t start = 0;
    int have = 0;
    for (size_t k = 0; k <= b.n; k++) {
      int hard = k < b.n && (b.split[k] & 4);
      int sep = hard || (k < b.n && (b.split[k] & 1) && strchr(ifs, b.s[k]));
      if (k == b.n || sep) {
        int at_alone = b.empty_at && b.n == 0;
        if (k > start || hard || (start > 0 && k == b.n && b.split[start - 1] & 4) ||
            (k == b.n && b.quoted && !have && start == 0 && !at_alone)) {
          if (count + 2 > cap) {
            cap *= 2;
            out = realloc(out, cap * sizeof *out);
            if (!out) die_oom();
          }
          char *f = xmalloc(k - start + 1);
          memcpy(f, b.s + start, k - start);
          f[k - start] = 0;
          have = 1;
          /* pathname expansion of unquoted * ? [ */
          int globs = 0;
          for (size_t q = start; q < k; q++)
            if ((b.split[q] & 2) && strchr("*?[", b.s[q])) globs = 1;
          if (globs) {
            char *pat = xmalloc(2 * (k - start) + 1), *pp = pat;
            for (size_t q = start; q < k; q++) {
              if (!(b.split[q] & 2) && strchr("*?[\\", b.s[q])) *pp++ = '\\';
              *pp++ = b.s[q];
            }
            *pp = 0;
            int nm = 0;
            char **matches = glob_paths(pat, &nm);
            free(pat);
            if (nm > 0) {
              while (count + (size_t)nm + 2 > cap) {
                cap *= 2;
                out = realloc(out, cap * sizeof *out);
                if (!out) die_oom();
              }
              for (int m = 0; m < nm; m++) out[count++] = matches[m];
              free(matches);
              free(f);
              start = k + 1;
              continue;
            }
            free(matches);
          }
          out[count++] = f;
        }
        start = k + 1;
      }
    }
    free(b.s);
    free(b.split);
  }
  out[count] = NULL;
  *out_count = (int)count;
  return out;
}
