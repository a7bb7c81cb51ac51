/*
 * sed: a stream editor, as busybox's: addresses (N, $, /re/, \cREc, ranges a,b and
 * a,+N, !), blocks, s///[gpIN] with & and \1-\9, y, p P d D n N g G h H x = a i c q l,
 * labels with b t T; -n, -e, -f, -E/-r, -i[SUFFIX]. The input files are one stream
 * (but each its own with -i); a last line without a newline is written without one.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text_usage.h"
#include "textopt.h"
#include "toolbox.h"

enum { A_NONE, A_LINE, A_LAST, A_REGEX, A_PLUS };

struct sed_addr {
  int type;
  long line;
  regex_t *re; /* NULL with A_REGEX: the last regex used */
};

struct sed_cmd {
  struct sed_addr a1, a2;
  int negate, in_range;
  long range_end;
  char cmd;
  regex_t *re; /* s */
  char *repl, *text; /* s replacement; a/i/c text; b/t/T/: label */
  int global, print, nth;
  unsigned char map[256]; /* y */
  int jump;               /* {: the index of its }; b/t/T: the label's index, -1 the end */
};

static struct sed_cmd *cmds;
static int ncmds, sed_ere, sed_quiet;
static regex_t *last_re;

/* The output: a line written without its newline gets one before anything else follows. */
static FILE *sed_out;
static int sed_pending_nl;

static void sed_emit(const char *s, size_t n, int newline) {
  if (sed_pending_nl) putc('\n', sed_out);
  fwrite(s, 1, n, sed_out);
  if (newline) putc('\n', sed_out);
  sed_pending_nl = !newline;
}

static void sed_die(const char *msg) {
  tb_error("%s", msg);
  exit(1);
}

/* Reads up to the unescaped DELIM from *s: "\DELIM" becomes DELIM, "\n" a newline (for
 * a regex), other escapes stay. */
static char *sed_delimited(const char **s, char delim, int regex) {
  const char *p = *s;
  char *out = tb_malloc(strlen(p) + 1), *o = out;
  for (; *p && *p != delim; p++) {
    if (*p == '\\' && p[1]) {
      p++;
      if (*p == delim) *o++ = delim;
      else if (*p == 'n' && regex) *o++ = '\n';
      else if (*p == '\n') *o++ = '\n';
      else *o++ = '\\', *o++ = *p;
    } else
      *o++ = *p;
  }
  if (*p != delim) {
    char msg[32];
    snprintf(msg, sizeof msg, "unmatched '%c'", delim);
    sed_die(msg);
  }
  *o = 0;
  *s = p + 1;
  return out;
}

static regex_t *sed_compile(const char *pattern, int icase) {
  if (!*pattern) return NULL;
  regex_t *re = tb_malloc(sizeof *re);
  int err = regcomp(re, pattern, (sed_ere ? REG_EXTENDED : 0) | (icase ? REG_ICASE : 0));
  if (err) {
    char msg[256];
    regerror(err, re, msg, sizeof msg);
    tb_error("bad regex '%s': %s", pattern, msg);
    exit(1);
  }
  return re;
}

static void sed_skip_blanks(const char **s) {
  while (**s == ' ' || **s == '\t') (*s)++;
}

/* An address at *s; 0 when there is none. */
static int sed_address(const char **s, struct sed_addr *a, int second) {
  const char *p = *s;
  if (*p >= '0' && *p <= '9') {
    a->type = A_LINE, a->line = strtol(p, (char **)&p, 10);
  } else if (second && *p == '+' && p[1] >= '0' && p[1] <= '9') {
    a->type = A_PLUS, a->line = strtol(p + 1, (char **)&p, 10);
  } else if (*p == '$') {
    a->type = A_LAST, p++;
  } else if (*p == '/' || (*p == '\\' && p[1])) {
    char delim = *p == '/' ? '/' : p[1];
    p += *p == '/' ? 1 : 2;
    char *re = sed_delimited(&p, delim, 1);
    a->type = A_REGEX, a->re = sed_compile(re, 0);
    free(re);
  } else
    return 0;
  *s = p;
  return 1;
}

/* Text of a, i, c: "a\<newline>TEXT", "a\TEXT" or "a TEXT"; lines ending in \ go on. */
static char *sed_text(const char **s) {
  const char *p = *s;
  sed_skip_blanks(&p);
  if (*p == '\\') {
    p++;
    if (*p == '\n') p++;
  }
  char *out = tb_malloc(strlen(p) + 1), *o = out;
  for (; *p && *p != '\n'; p++) {
    if (*p == '\\' && p[1]) p++;
    *o++ = *p;
  }
  *o = 0;
  *s = p;
  return out;
}

static char *sed_label(const char **s) {
  const char *p = *s;
  sed_skip_blanks(&p);
  const char *start = p;
  while (*p && *p != '\n' && *p != ';') p++;
  const char *end = p;
  while (end > start && (end[-1] == ' ' || end[-1] == '\t')) end--;
  *s = p;
  return strndup(start, (size_t)(end - start));
}

static void sed_parse(const char *s) {
  int *open = NULL, nopen = 0;
  for (;;) {
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == ';') s++;
    if (!*s) break;
    if (*s == '#') {
      while (*s && *s != '\n') s++;
      continue;
    }
    cmds = tb_realloc(cmds, sizeof *cmds * (size_t)(ncmds + 1));
    struct sed_cmd *c = memset(&cmds[ncmds], 0, sizeof *cmds);
    if (sed_address(&s, &c->a1, 0) && *s == ',') {
      s++;
      if (!sed_address(&s, &c->a2, 1)) sed_die("unexpected ','");
    }
    sed_skip_blanks(&s);
    while (*s == '!') {
      c->negate = 1, s++;
      sed_skip_blanks(&s);
    }
    c->cmd = *s;
    if (!*s || *s == '\n' || *s == ';') sed_die("missing command");
    s++;
    switch (c->cmd) {
    case '{':
      open = tb_realloc(open, sizeof *open * (size_t)(nopen + 1));
      open[nopen++] = ncmds;
      break;
    case '}':
      if (nopen) cmds[open[--nopen]].jump = ncmds;
      break;
    case 'a': case 'i': case 'c': c->text = sed_text(&s); break;
    case ':': case 'b': case 't': case 'T':
      c->text = sed_label(&s);
      if (c->cmd == ':' && !*c->text) sed_die("\":\" lacks a label");
      break;
    case 's': {
      char delim = *s;
      if (!delim || delim == '\n' || delim == '\\') sed_die("bad format in substitution expression");
      s++;
      char *re = sed_delimited(&s, delim, 1);
      c->repl = sed_delimited(&s, delim, 0);
      int icase = 0;
      c->nth = 1;
      for (;; s++) {
        if (*s == 'g') c->global = 1;
        else if (*s == 'p') c->print = 1;
        else if (*s == 'i' || *s == 'I') icase = 1;
        else if (*s >= '1' && *s <= '9') c->nth = (int)strtol(s, (char **)&s, 10), s--;
        else break;
      }
      if (c->global) c->nth = 1; /* busybox: g replaces every match, whatever N says */
      c->re = sed_compile(re, icase);
      free(re);
      break;
    }
    case 'y': {
      char delim = *s++;
      char *from = sed_delimited(&s, delim, 1), *to = sed_delimited(&s, delim, 1);
      /* sed_delimited kept other escapes: \\ is a backslash here */
      for (char *x = from, *y = to;; x++, y++) {
        if (*x == '\\' && x[1] == '\\') x++;
        if (*y == '\\' && y[1] == '\\') y++;
        if (!*x || !*y) break; /* busybox maps the pairs there are */
        c->map[(unsigned char)*x] = (unsigned char)*y;
      }
      for (int k = 0; k < 256; k++)
        if (!c->map[k] && !strchr(from, k)) c->map[k] = (unsigned char)k;
      free(from), free(to);
      break;
    }
    case 'p': case 'P': case 'd': case 'D': case 'n': case 'N': case 'g': case 'G':
    case 'h': case 'H': case 'x': case '=': case 'q': case 'l':
      break;
    default: {
      char msg[40];
      snprintf(msg, sizeof msg, "unsupported command %c", c->cmd);
      sed_die(msg);
    }
    }
    ncmds++;
    sed_skip_blanks(&s);
    if (*s == '}' && c->cmd != '}') continue;
    if (*s && *s != ';' && *s != '\n' && *s != '#' && c->cmd != '{' && c->cmd != '}') {
      if (c->cmd == 's') sed_die("bad option in substitution expression");
      sed_die("extra characters after command");
    }
  }
  /* an unclosed block goes to the end */
  while (nopen) cmds[open[--nopen]].jump = ncmds;
  free(open);
  for (int i = 0; i < ncmds; i++) {
    char k = cmds[i].cmd;
    if (k != 'b' && k != 't' && k != 'T') continue;
    cmds[i].jump = -1;
    if (!*cmds[i].text) continue;
    for (int j = 0; j < ncmds; j++)
      if (cmds[j].cmd == ':' && !strcmp(cmds[j].text, cmds[i].text)) cmds[i].jump = j;
    if (cmds[i].jump < 0) {
      tb_error("can't find label for jump to '%s'", cmds[i].text);
      exit(1);
    }
  }
}

/* The input: files in turn, one line read ahead so that $ is known. */
static struct {
  char **files;
  int nfiles, at;
  FILE *f;
  char *next;
  size_t next_len, next_cap;
  int has_next, next_nl, status;
} in;

static void sed_prefetch(void) {
  in.has_next = 0;
  for (;;) {
    if (!in.f) {
      if (in.at >= in.nfiles) return;
      const char *name = in.files[in.at++];
      in.f = strcmp(name, "-") ? fopen(name, "r") : stdin;
      if (!in.f) {
        tb_error("%s: %s", name, strerror(errno));
        in.status = 1;
        continue;
      }
    }
    ssize_t n = getline(&in.next, &in.next_cap, in.f);
    if (n >= 0) {
      in.next_nl = n > 0 && in.next[n - 1] == '\n';
      if (in.next_nl) in.next[--n] = 0;
      in.next_len = (size_t)n;
      in.has_next = 1;
      return;
    }
    if (in.f != stdin) fclose(in.f);
    in.f = NULL;
  }
}

/* The pattern and hold spaces. */
struct sed_buf {
  char *s;
  size_t len, cap;
};

static void buf_set(struct sed_buf *b, const char *s, size_t n) {
  if (n + 1 > b->cap) b->s = tb_realloc(b->s, b->cap = n + 64);
  memcpy(b->s, s, n);
  b->s[b->len = n] = 0;
}

static void buf_add(struct sed_buf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) b->s = tb_realloc(b->s, b->cap = (b->len + n) * 2 + 64);
  memcpy(b->s + b->len, s, n);
  b->s[b->len += n] = 0;
}

static struct sed_buf ps, hs;
static long lineno;
static int line_nl; /* the current line had a newline */

static int sed_next_line(void) {
  if (!in.has_next) return 0;
  buf_set(&ps, in.next, in.next_len);
  line_nl = in.next_nl;
  lineno++;
  sed_prefetch();
  return 1;
}

static int sed_is_last(void) { return !in.has_next; }

static int sed_regex_match(regex_t *re, const char *s) {
  if (re) last_re = re;
  else if (!(re = last_re)) sed_die("no previous regexp");
  return regexec(re, s, 0, NULL, 0) == 0;
}

static int sed_addr_match(struct sed_addr *a) {
  switch (a->type) {
  case A_LINE: return lineno == a->line;
  case A_LAST: return sed_is_last();
  case A_REGEX: return sed_regex_match(a->re, ps.s);
  }
  return 0;
}

static int sed_selects(struct sed_cmd *c) {
  if (c->a1.type == A_NONE) return 1;
  if (c->a2.type == A_NONE) return sed_addr_match(&c->a1);
  if (c->in_range) {
    switch (c->a2.type) {
    case A_LINE:
      if (lineno >= c->a2.line) c->in_range = 0;
      return lineno <= c->a2.line;
    case A_PLUS:
      if (lineno >= c->range_end) c->in_range = 0;
      return 1;
    default:
      if (sed_addr_match(&c->a2)) c->in_range = 0;
      return 1;
    }
  }
  if (!sed_addr_match(&c->a1)) return 0;
  if (c->a2.type == A_LINE) c->in_range = c->a2.line > lineno;
  else if (c->a2.type == A_PLUS) c->range_end = lineno + c->a2.line, c->in_range = c->a2.line > 0;
  else if (c->a2.type == A_LAST) c->in_range = !sed_is_last();
  else c->in_range = 1;
  return 1;
}

/* s: 1 when something was replaced. */
static int sed_substitute(struct sed_cmd *c) {
  regex_t *re = c->re ? c->re : last_re;
  if (!re) sed_die("no previous regexp");
  last_re = re;
  struct sed_buf out = {0};
  buf_set(&out, "", 0);
  regmatch_t m[10];
  size_t pos = 0, prev_end = (size_t)-1;
  int count = 0, replaced = 0;
  while (pos <= ps.len && regexec(re, ps.s + pos, 10, m, pos ? REG_NOTBOL : 0) == 0) {
    size_t so = pos + (size_t)m[0].rm_so, eo = pos + (size_t)m[0].rm_eo;
    if (so == eo && so == prev_end) {
      /* no empty match right after a match */
      if (so >= ps.len) break;
      buf_add(&out, ps.s + pos, so + 1 - pos);
      pos = so + 1;
      continue;
    }
    count++;
    buf_add(&out, ps.s + pos, so - pos);
    if (count >= c->nth) {
      replaced = 1;
      for (const char *r = c->repl; *r; r++) {
        if (*r == '&') buf_add(&out, ps.s + so, eo - so);
        else if (*r == '\\' && r[1] >= '0' && r[1] <= '9') {
          int g = *++r - '0';
          if (m[g].rm_so >= 0) buf_add(&out, ps.s + pos + m[g].rm_so, (size_t)(m[g].rm_eo - m[g].rm_so));
        } else if (*r == '\\' && r[1]) {
          r++;
          char ch = *r == 'n' ? '\n' : *r == 't' ? '\t' : *r;
          buf_add(&out, &ch, 1);
        } else
          buf_add(&out, r, 1);
      }
    } else
      buf_add(&out, ps.s + so, eo - so);
    prev_end = eo;
    pos = eo;
    if (count >= c->nth && !c->global) break;
    if (so == eo) {
      if (so >= ps.len) {
        pos = ps.len + 1;
        break;
      }
      buf_add(&out, ps.s + so, 1);
      pos = so + 1;
    }
  }
  if (pos < ps.len) buf_add(&out, ps.s + pos, ps.len - pos);
  if (replaced) {
    free(ps.s);
    ps = out;
  } else
    free(out.s);
  return replaced;
}

/* Appended text waits for the end of the cycle. */
static char **appends;
static int nappends;

static void sed_flush_appends(void) {
  for (int i = 0; i < nappends; i++) sed_emit(appends[i], strlen(appends[i]), 1);
  nappends = 0;
}

/* One run over the input; 1 when q ended it. */
static int sed_run(void) {
  int quit = 0, restart = 0;
  for (;;) {
    if (!restart && !sed_next_line()) break;
    restart = 0;
    int deleted = 0, substituted = 0;
    for (int pc = 0; pc < ncmds && !deleted && !quit; pc++) {
      struct sed_cmd *c = &cmds[pc];
      if (c->cmd == '}' || c->cmd == ':') continue;
      if (sed_selects(c) == c->negate) {
        if (c->cmd == '{') pc = c->jump;
        continue;
      }
      switch (c->cmd) {
      case '{': break;
      case 's':
        if (sed_substitute(c)) {
          substituted = 1;
          if (c->print) sed_emit(ps.s, ps.len, 1);
        }
        break;
      case 'y':
        for (size_t i = 0; i < ps.len; i++) ps.s[i] = (char)c->map[(unsigned char)ps.s[i]];
        break;
      case 'p': sed_emit(ps.s, ps.len, 1); break;
      case 'P': {
        char *nl = memchr(ps.s, '\n', ps.len);
        sed_emit(ps.s, nl ? (size_t)(nl - ps.s) : ps.len, 1);
        break;
      }
      case 'd': deleted = 1; break;
      case 'D': {
        char *nl = memchr(ps.s, '\n', ps.len);
        if (!nl) {
          deleted = 1;
          break;
        }
        size_t rest = ps.len - (size_t)(nl + 1 - ps.s);
        memmove(ps.s, nl + 1, rest + 1);
        ps.len = rest;
        deleted = restart = 1;
        break;
      }
      case 'n':
        if (sed_is_last()) {
          quit = 1;
          break;
        }
        if (!sed_quiet) sed_emit(ps.s, ps.len, line_nl);
        sed_flush_appends();
        sed_next_line();
        break;
      case 'N': {
        if (sed_is_last()) {
          quit = 1;
          break;
        }
        sed_flush_appends();
        struct sed_buf keep = {0};
        buf_set(&keep, ps.s, ps.len);
        sed_next_line();
        buf_add(&keep, "\n", 1);
        buf_add(&keep, ps.s, ps.len);
        free(ps.s);
        ps = keep;
        break;
      }
      case 'g': buf_set(&ps, hs.s ? hs.s : "", hs.len); break;
      case 'G': buf_add(&ps, "\n", 1), buf_add(&ps, hs.s ? hs.s : "", hs.len); break;
      case 'h': buf_set(&hs, ps.s, ps.len); break;
      case 'H': buf_add(&hs, "\n", 1), buf_add(&hs, ps.s, ps.len); break;
      case 'x': {
        struct sed_buf t = ps;
        ps = hs, hs = t;
        if (!ps.s) buf_set(&ps, "", 0);
        break;
      }
      case '=': {
        char num[32];
        int n = snprintf(num, sizeof num, "%ld", lineno);
        sed_emit(num, (size_t)n, 1);
        break;
      }
      case 'l':
        for (size_t i = 0; i < ps.len; i++) {
          unsigned char ch = (unsigned char)ps.s[i];
          const char *esc = strchr("\\\a\b\f\n\r\t\v", ch);
          if (ch && esc) fprintf(sed_out, "\\%c", "\\abfnrtv"[esc - "\\\a\b\f\n\r\t\v"]);
          else if (ch < 32 || ch >= 127) fprintf(sed_out, "\\%03o", ch);
          else putc(ch, sed_out);
        }
        fputs("$\n", sed_out);
        break;
      case 'a':
        appends = tb_realloc(appends, sizeof *appends * (size_t)(nappends + 1));
        appends[nappends++] = c->text;
        break;
      case 'i': sed_emit(c->text, strlen(c->text), 1); break;
      case 'c':
        /* a range is changed once, at its end */
        if (c->a2.type == A_NONE || !c->in_range || c->negate) sed_emit(c->text, strlen(c->text), 1);
        deleted = 1;
        break;
      case 'q': quit = 1; break;
      case 'b': pc = c->jump < 0 ? ncmds : c->jump; break;
      case 't':
      case 'T':
        if (substituted == (c->cmd == 't')) pc = c->jump < 0 ? ncmds : c->jump;
        if (c->cmd == 't') substituted = 0;
        break;
      }
    }
    if (!deleted && !sed_quiet) sed_emit(ps.s, ps.len, line_nl);
    sed_flush_appends();
    if (quit) return 1;
  }
  return 0;
}

static void sed_open(char **files, int nfiles) {
  in.files = files, in.nfiles = nfiles, in.at = 0, in.f = NULL;
  sed_prefetch();
}

/* -i: each file edited on its own through a temporary file beside it. */
static int sed_in_place(char **files, int nfiles, const char *suffix) {
  int status = 0;
  for (int i = 0; i < nfiles; i++) {
    struct sys_stat st;
    FILE *f = fopen(files[i], "r");
    if (!f) {
      tb_error("can't open '%s': %s", files[i], strerror(errno));
      status = 1;
      continue;
    }
    fclose(f);
    char *tmp = tb_malloc(strlen(files[i]) + 32);
    sprintf(tmp, "%s.sed%d", files[i], sys_getpid());
    sed_out = fopen(tmp, "w");
    if (!sed_out) {
      tb_error("can't create '%s': %s", tmp, strerror(errno));
      exit(1);
    }
    sed_pending_nl = 0, lineno = 0;
    sed_open(&files[i], 1);
    int quit = sed_run();
    fclose(sed_out);
    if (sys_stat(files[i], &st) == 0) sys_chmod(tmp, st.mode & 07777);
    if (suffix && *suffix) {
      char *bak = tb_malloc(strlen(files[i]) + strlen(suffix) + 1);
      sprintf(bak, "%s%s", files[i], suffix);
      rename(files[i], bak);
      free(bak);
    }
    if (rename(tmp, files[i]) < 0) {
      tb_perror(files[i]);
      status = 1;
    }
    free(tmp);
    if (quit) break;
  }
  return status | in.status;
}

int applet_sed(int argc, char **argv) {
  int opt, in_place = 0;
  const char *suffix = NULL;
  char *script = NULL;
  size_t slen = 0;
  textopt_permute(argc, argv, "ne:f:i::rEs");
  while ((opt = getopt(argc, argv, ":ne:f:i::rEs")) != -1) {
    const char *piece = NULL;
    char *loaded = NULL;
    switch (opt) {
    case 'n': sed_quiet = 1; break;
    case 'r': case 'E': sed_ere = 1; break;
    case 'i': in_place = 1, suffix = optarg; break;
    case 's': break;
    case 'e': piece = optarg; break;
    case 'f': {
      FILE *f = strcmp(optarg, "-") ? fopen(optarg, "r") : stdin;
      if (!f) {
        tb_error("%s: %s", optarg, strerror(errno));
        return 1;
      }
      size_t cap = 0, n = 0;
      int ch;
      while ((ch = getc(f)) != EOF) {
        if (n + 2 > cap) loaded = tb_realloc(loaded, cap = cap * 2 + 256);
        loaded[n++] = (char)ch;
      }
      if (f != stdin) fclose(f);
      if (n && loaded[n - 1] == '\n') n--;
      if (!loaded) loaded = tb_strdup("");
      loaded[n] = 0;
      piece = loaded;
      break;
    }
    default: return textopt_bad(opt, USAGE_SED, 1);
    }
    if (piece) {
      size_t n = strlen(piece);
      script = tb_realloc(script, slen + n + 2);
      memcpy(script + slen, piece, n);
      slen += n;
      script[slen++] = '\n';
      script[slen] = 0;
    }
    free(loaded);
  }
  if (!script) {
    if (optind >= argc) {
      return textopt_usage(USAGE_SED, 1);
    }
    script = argv[optind++];
  }
  sed_parse(script);
  sed_out = stdout;
  if (in_place) {
    if (optind >= argc) sed_die("-i requires an argument");
    return sed_in_place(argv + optind, argc - optind, suffix);
  }
  static char *dash[] = {"-", NULL};
  if (optind < argc) sed_open(argv + optind, argc - optind);
  else sed_open(dash, 1);
  sed_run();
  return in.status;
}
