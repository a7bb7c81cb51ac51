/*
 * find [PATH]... [EXPRESSION]: tests -name -iname -path -type -newer -empty, actions
 * -print -print0 -exec CMD {} ; and -exec CMD {} +, operators ! -a -o ( ), options
 * -maxdepth -mindepth -depth. Directory entries come in readdir order, as busybox's do.
 */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toolbox.h"

#ifndef FNM_CASEFOLD
#define FNM_CASEFOLD 0x10
#endif

extern char **environ;

enum kind { K_AND, K_OR, K_NOT, K_NAME, K_INAME, K_PATH, K_TYPE, K_NEWER, K_EMPTY, K_PRINT, K_PRINT0, K_EXEC, K_TRUE };

struct node {
  enum kind kind;
  struct node *a, *b;
  const char *arg;
  uint32_t type;   /* K_TYPE: the S_IFMT bits wanted */
  int64_t newer;   /* K_NEWER: the reference mtime */
  char **argv;     /* K_EXEC: the command, {} included */
  int argc, plus;  /* K_EXEC: words; whether {} + */
  char **batch;    /* K_EXEC +: the paths gathered */
  size_t nbatch, batch_bytes;
};

static char **tok;
static int ntok, pos;
static int maxdepth = -1, mindepth, depth_first, has_action, status;
static struct node **execs;
static int nexecs;

static struct node *node(enum kind k, struct node *a, struct node *b) {
  struct node *n = tb_malloc(sizeof *n);
  memset(n, 0, sizeof *n);
  n->kind = k, n->a = a, n->b = b;
  return n;
}

__attribute__((noreturn)) static void die(const char *fmt, const char *a, const char *b) {
  fflush(stdout);
  fprintf(stderr, "find: ");
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  fprintf(stderr, fmt, a, b);
#pragma GCC diagnostic pop
  fputc('\n', stderr);
  exit(1);
}

static const char *need_arg(const char *opt) {
  if (pos >= ntok) die("%s requires an argument", opt, NULL);
  return tok[pos++];
}

static struct node *parse_or(void);

static struct node *parse_exec(void) {
  struct node *n = node(K_EXEC, NULL, NULL);
  int start = pos, braces = 0;
  while (pos < ntok) {
    const char *t = tok[pos];
    if (!strcmp(t, ";")) break;
    if (!strcmp(t, "+") && braces) {
      n->plus = 1;
      break;
    }
    if (!strcmp(t, "{}")) braces++;
    pos++;
  }
  if (pos >= ntok || pos == start) die("-exec requires an argument", NULL, NULL);
  if (n->plus && braces > 1) die("only one '{}' allowed for -exec +", NULL, NULL);
  n->argv = tok + start;
  n->argc = pos - start;
  pos++;
  has_action = 1;
  execs = tb_realloc(execs, (size_t)(nexecs + 1) * sizeof *execs);
  execs[nexecs++] = n;
  return n;
}

static struct node *parse_primary(void) {
  if (pos >= ntok) return node(K_TRUE, NULL, NULL);
  const char *t = tok[pos++];
  if (!strcmp(t, "(")) {
    struct node *n = parse_or();
    if (pos >= ntok || strcmp(tok[pos], ")")) die("unpaired '('", NULL, NULL);
    pos++;
    return n;
  }
  if (!strcmp(t, "!") || !strcmp(t, "-not")) return node(K_NOT, parse_primary(), NULL);
  struct node *n;
  if (!strcmp(t, "-name") || !strcmp(t, "-iname") || !strcmp(t, "-path") || !strcmp(t, "-wholename")) {
    n = node(t[1] == 'n' ? K_NAME : t[1] == 'i' ? K_INAME : K_PATH, NULL, NULL);
    n->arg = need_arg(t);
  } else if (!strcmp(t, "-type")) {
    const char *a = need_arg(t);
    static const char letters[] = "fdlbcps";
    static const uint32_t types[] = {0100000, 0040000, 0120000, 0060000, 0020000, 0010000, 0140000};
    const char *p = a[0] && !a[1] ? strchr(letters, a[0]) : NULL;
    if (!p) die("invalid argument '%s' to '-type'", a, NULL);
    n = node(K_TYPE, NULL, NULL);
    n->type = types[p - letters];
  } else if (!strcmp(t, "-newer")) {
    const char *a = need_arg(t);
    struct sys_stat st;
    if (sys_stat(a, &st)) die("%s: %s", a, strerror(errno));
    n = node(K_NEWER, NULL, NULL);
    n->newer = st.mtime_ns;
  } else if (!strcmp(t, "-maxdepth") || !strcmp(t, "-mindepth")) {
    const char *a = need_arg(t);
    char *end;
    long v = strtol(a, &end, 10);
    if (!*a || *end || v < 0) die("invalid number '%s'", a, NULL);
    *(t[2] == 'a' ? &maxdepth : &mindepth) = (int)v;
    n = node(K_TRUE, NULL, NULL);
  } else if (!strcmp(t, "-depth")) {
    depth_first = 1;
    n = node(K_TRUE, NULL, NULL);
  } else if (!strcmp(t, "-empty")) {
    n = node(K_EMPTY, NULL, NULL);
  } else if (!strcmp(t, "-print") || !strcmp(t, "-print0")) {
    n = node(t[6] ? K_PRINT0 : K_PRINT, NULL, NULL);
    has_action = 1;
  } else if (!strcmp(t, "-exec")) {
    n = parse_exec();
  } else
    die("unrecognized: %s", t, NULL);
  return n;
}

static int ends_and(const char *t) { return !strcmp(t, "-o") || !strcmp(t, "-or") || !strcmp(t, ")"); }

static struct node *parse_and(void) {
  struct node *n = parse_primary();
  while (pos < ntok && !ends_and(tok[pos])) {
    if (!strcmp(tok[pos], "-a") || !strcmp(tok[pos], "-and")) pos++;
    n = node(K_AND, n, parse_primary());
  }
  return n;
}

static struct node *parse_or(void) {
  struct node *n = parse_and();
  while (pos < ntok && (!strcmp(tok[pos], "-o") || !strcmp(tok[pos], "-or"))) {
    pos++;
    n = node(K_OR, n, parse_and());
  }
  return n;
}

/* Run ARGV and wait: its exit status, or 1 (after a message) when it cannot run. */
static int run(char **argv) {
  char path[4096];
  int found = sys_find_program(argv[0], path, sizeof path);
  if (found) {
    tb_error("%s: %s", argv[0], strerror(found == 127 ? ENOENT : EACCES));
    return found;
  }
  fflush(stdout);
  int pid = sys_spawn(path, argv, environ, NULL, 0, 0);
  if (pid < 0) {
    tb_error("%s: %s", argv[0], strerror(errno));
    return 127;
  }
  int st = 0;
  while (sys_waitpid(pid, &st, 0) < 0)
    if (errno != EINTR) return 1;
  return SYS_WIFEXITED(st) ? SYS_WEXITSTATUS(st) : 128 + SYS_WTERMSIG(st);
}

/* ARG with every {} replaced by PATH. */
static char *subst(const char *arg, const char *path) {
  size_t n = 1, pl = strlen(path);
  for (const char *p = arg; *p; p++) n += p[0] == '{' && p[1] == '}' ? pl : 1;
  char *out = tb_malloc(n), *o = out;
  for (const char *p = arg; *p;)
    if (p[0] == '{' && p[1] == '}') memcpy(o, path, pl), o += pl, p += 2;
    else *o++ = *p++;
  *o = 0;
  return out;
}

static void flush_batch(struct node *n) {
  if (!n->nbatch) return;
  char **argv = tb_malloc((size_t)(n->argc + (int)n->nbatch + 1) * sizeof *argv);
  int k = 0;
  for (int i = 0; i < n->argc; i++)
    if (!strcmp(n->argv[i], "{}"))
      for (size_t j = 0; j < n->nbatch; j++) argv[k++] = n->batch[j];
    else
      argv[k++] = n->argv[i];
  argv[k] = NULL;
  if (run(argv)) status = 1;
  for (size_t j = 0; j < n->nbatch; j++) free(n->batch[j]);
  free(argv);
  n->nbatch = n->batch_bytes = 0;
}

static int exec_one(struct node *n, const char *path) {
  if (n->plus) {
    n->batch = tb_realloc(n->batch, (n->nbatch + 1) * sizeof *n->batch);
    n->batch[n->nbatch++] = tb_strdup(path);
    n->batch_bytes += strlen(path) + 1;
    if (n->batch_bytes > 64 * 1024) flush_batch(n);
    return 1;
  }
  char **argv = tb_malloc((size_t)(n->argc + 1) * sizeof *argv);
  for (int i = 0; i < n->argc; i++) argv[i] = subst(n->argv[i], path);
  argv[n->argc] = NULL;
  int r = run(argv);
  for (int i = 0; i < n->argc; i++) free(argv[i]);
  free(argv);
  return r == 0;
}

/* The last component of PATH, trailing slashes aside ("d/" → "d", "/" → "/"). */
static char *base_of(const char *path, char *buf, size_t len) {
  snprintf(buf, len, "%s", path);
  size_t n = strlen(buf);
  while (n > 1 && buf[n - 1] == '/') buf[--n] = 0;
  char *s = strrchr(buf, '/');
  return s && s[1] ? s + 1 : buf;
}

static int is_empty(const char *path, const struct sys_stat *st) {
  if ((st->mode & 0170000) == 0100000) return st->size == 0;
  if ((st->mode & 0170000) != 0040000) return 0;
  DIR *d = opendir(path);
  if (!d) return 0;
  struct dirent *de;
  int empty = 1;
  while (empty && (de = readdir(d)))
    if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) empty = 0;
  closedir(d);
  return empty;
}

static int eval(struct node *n, const char *path, const struct sys_stat *st) {
  char buf[4096];
  switch (n->kind) {
  case K_AND: return eval(n->a, path, st) && eval(n->b, path, st);
  case K_OR: return eval(n->a, path, st) || eval(n->b, path, st);
  case K_NOT: return !eval(n->a, path, st);
  case K_NAME: return !fnmatch(n->arg, base_of(path, buf, sizeof buf), 0);
  case K_INAME: return !fnmatch(n->arg, base_of(path, buf, sizeof buf), FNM_CASEFOLD);
  case K_PATH: return !fnmatch(n->arg, path, 0);
  case K_TYPE: return (st->mode & 0170000) == n->type;
  case K_NEWER: return st->mtime_ns > n->newer;
  case K_EMPTY: return is_empty(path, st);
  case K_PRINT: return puts(path), 1;
  case K_PRINT0: return fputs(path, stdout), putchar(0), 1;
  case K_EXEC: return exec_one(n, path);
  case K_TRUE: return 1;
  }
  return 0;
}

static void walk(struct node *expr, const char *path, int depth) {
  struct sys_stat st;
  if (sys_lstat(path, &st)) {
    tb_error("%s: %s", path, strerror(errno));
    status = 1;
    return;
  }
  int visit = depth >= mindepth;
  if (visit && !depth_first) eval(expr, path, &st);
  if ((st.mode & 0170000) == 0040000 && (maxdepth < 0 || depth < maxdepth)) {
    DIR *d = opendir(path);
    if (!d) {
      tb_error("%s: %s", path, strerror(errno));
      status = 1;
    } else {
      size_t pl = strlen(path);
      struct dirent *de;
      while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        char *child = tb_malloc(pl + strlen(de->d_name) + 2);
        sprintf(child, "%s%s%s", path, pl && path[pl - 1] == '/' ? "" : "/", de->d_name);
        walk(expr, child, depth + 1);
        free(child);
      }
      closedir(d);
    }
  }
  if (visit && depth_first) eval(expr, path, &st);
}

int applet_find(int argc, char **argv) {
  int first = 1;
  while (first < argc && argv[first][0] != '-' && strcmp(argv[first], "(") && strcmp(argv[first], "!")) first++;
  tok = argv + first;
  ntok = argc - first;
  struct node *expr = ntok ? parse_or() : node(K_TRUE, NULL, NULL);
  if (pos < ntok) die("unrecognized: %s", tok[pos], NULL);
  if (!has_action) expr = node(K_AND, expr, node(K_PRINT, NULL, NULL));
  char *dot[] = {"."};
  char **paths = first > 1 ? argv + 1 : dot;
  int npaths = first > 1 ? first - 1 : 1;
  for (int i = 0; i < npaths; i++) walk(expr, paths[i], 0);
  for (int i = 0; i < nexecs; i++) flush_batch(execs[i]);
  return status;
}
