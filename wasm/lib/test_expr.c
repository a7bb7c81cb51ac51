/*
 * test / [ — shared by sh's builtin and the toolbox applet. POSIX's rules by argument
 * count (0–4 arguments), then -a/-o/!/( ) by precedence, with busybox's messages:
 * "PROG: x: bad number", "PROG: argument expected", "PROG: x: unknown operand".
 * Status 0 true, 1 false, 2 error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sys.h"
#include "test_expr.h"

static const char *prog;
static char **args;
static int nargs, pos;
static int failed; /* an error was reported: the result is 2 */

static void error(const char *what, const char *msg) {
  if (failed++) return;
  fflush(stdout);
  if (what) fprintf(stderr, "%s: %s: %s\n", prog, what, msg);
  else fprintf(stderr, "%s: %s\n", prog, msg);
}

static long long number(const char *s) {
  const char *p = s;
  while (*p == ' ' || *p == '\t') p++;
  char *end;
  errno = 0;
  long long v = strtoll(p, &end, 10);
  while (*end == ' ' || *end == '\t') end++;
  if (end == p || *end) error(s, "bad number");
  else if (errno == ERANGE) error(s, "out of range");
  return v;
}

static int is_unary(const char *op) {
  return op[0] == '-' && op[1] && !op[2] && strchr("bcdefghknprsStuwxzLGO", op[1]);
}

static int is_binary(const char *op) {
  static const char *const ops[] = {"=", "==", "!=", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef", NULL};
  for (const char *const *o = ops; *o; o++)
    if (!strcmp(*o, op)) return 1;
  return 0;
}

/* Permission as the caller's ids allow (root: read and write always, execute with any x
 * bit, also for a directory, as busybox's test decides). */
static int can(const struct sys_stat *st, int bit) {
  unsigned uid = (unsigned)sys_geteuid();
  if (uid == 0) return bit != 1 || (st->mode & 0111);
  if (st->uid == uid) return (st->mode >> 6) & bit;
  if (st->gid == (unsigned)sys_getegid()) return (st->mode >> 3) & bit;
  return st->mode & bit;
}

static int unary(const char *op, const char *v) {
  struct sys_stat st;
  char o = op[1];
  if (o == 'n') return v[0] != 0;
  if (o == 'z') return v[0] == 0;
  if (o == 't') return isatty((int)number(v));
  if (o == 'h' || o == 'L') return sys_lstat(v, &st) == 0 && (st.mode & 0170000) == 0120000;
  if (sys_stat(v, &st) != 0) return 0;
  unsigned type = st.mode & 0170000;
  switch (o) {
  case 'e': return 1;
  case 'f': return type == 0100000;
  case 'd': return type == 0040000;
  case 'b': return type == 0060000;
  case 'c': return type == 0020000;
  case 'p': return type == 0010000;
  case 'S': return type == 0140000;
  case 's': return st.size > 0;
  case 'g': return (st.mode & 02000) != 0;
  case 'u': return (st.mode & 04000) != 0;
  case 'k': return (st.mode & 01000) != 0;
  case 'r': return can(&st, 4) != 0;
  case 'w': return can(&st, 2) != 0;
  case 'x': return can(&st, 1) != 0;
  case 'O': return st.uid == (unsigned)sys_geteuid();
  case 'G': return st.gid == (unsigned)sys_getegid();
  }
  return 0;
}

static int binary(const char *l, const char *op, const char *r) {
  if (!strcmp(op, "=") || !strcmp(op, "==")) return strcmp(l, r) == 0;
  if (!strcmp(op, "!=")) return strcmp(l, r) != 0;
  if (!strcmp(op, "<")) return strcmp(l, r) < 0;
  if (!strcmp(op, ">")) return strcmp(l, r) > 0;
  if (!strcmp(op, "-nt") || !strcmp(op, "-ot") || !strcmp(op, "-ef")) {
    struct sys_stat a, b;
    int ha = sys_stat(l, &a) == 0, hb = sys_stat(r, &b) == 0;
    if (!strcmp(op, "-ef")) return ha && hb && a.dev == b.dev && a.ino == b.ino;
    if (!ha || !hb) return 0;
    return !strcmp(op, "-nt") ? a.mtime_ns > b.mtime_ns : a.mtime_ns < b.mtime_ns;
  }
  long long x = number(l), y = number(r);
  if (!strcmp(op, "-eq")) return x == y;
  if (!strcmp(op, "-ne")) return x != y;
  if (!strcmp(op, "-lt")) return x < y;
  if (!strcmp(op, "-le")) return x <= y;
  if (!strcmp(op, "-gt")) return x > y;
  return x >= y;
}

static int oexpr(void);

static const char *next(void) {
  if (pos >= nargs) {
    error(NULL, "argument expected");
    return "";
  }
  return args[pos++];
}

static int primary(void) {
  const char *a = next();
  if (!strcmp(a, "!")) return !primary();
  if (!strcmp(a, "(")) {
    int v = oexpr();
    if (pos >= nargs || strcmp(args[pos], ")")) error(NULL, "closing paren expected");
    else pos++;
    return v;
  }
  if (pos + 1 < nargs && is_binary(args[pos])) {
    const char *op = args[pos++];
    return binary(a, op, next());
  }
  if (is_unary(a) && pos < nargs) return unary(a, next());
  return a[0] != 0;
}

static int aexpr(void) {
  int v = primary();
  while (pos < nargs && !strcmp(args[pos], "-a")) {
    pos++;
    int r = primary();
    v = v && r;
  }
  return v;
}

static int oexpr(void) {
  int v = aexpr();
  while (pos < nargs && !strcmp(args[pos], "-o")) {
    pos++;
    int r = aexpr();
    v = v || r;
  }
  return v;
}

/* POSIX's fixed meanings for up to four arguments. */
static int by_count(char **a, int n) {
  if (n == 0) return 0;
  if (n == 1) return a[0][0] != 0;
  if (n == 2) {
    if (!strcmp(a[0], "!")) return !by_count(a + 1, 1);
    if (is_unary(a[0])) return unary(a[0], a[1]);
    if (!strcmp(a[1], "-a") || !strcmp(a[1], "-o")) {
      error(NULL, "argument expected");
      return 0;
    }
    if (strcmp(a[0], "(")) {
      error(a[1], is_binary(a[1]) ? "argument expected" : "unknown operand");
      return 0;
    }
  }
  if (n == 3) {
    if (is_binary(a[1])) return binary(a[0], a[1], a[2]);
    if (!strcmp(a[0], "!")) return !by_count(a + 1, 2);
    if (!strcmp(a[0], "(") && !strcmp(a[2], ")")) return by_count(a + 1, 1);
  }
  if (n == 4) {
    if (!strcmp(a[0], "!")) return !by_count(a + 1, 3);
    if (!strcmp(a[0], "(") && !strcmp(a[3], ")")) return by_count(a + 1, 2);
  }
  args = a;
  nargs = n;
  pos = 0;
  int v = oexpr();
  if (pos < nargs) error(args[pos], "unknown operand");
  return v;
}

int test_main(const char *program, int argc, char **argv) {
  prog = program;
  int n = argc - 1;
  if (!strcmp(argv[0], "[")) {
    if (n < 1 || strcmp(argv[n], "]")) {
      fflush(stdout);
      fprintf(stderr, "%s: missing ]\n", prog);
      return 2;
    }
    n--;
  }
  failed = 0;
  int v = by_count(argv + 1, n);
  return failed ? 2 : v ? 0 : 1;
}
