/* $(( … )): integer arithmetic with C precedence over longs, variables by name. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"

struct ar {
  const char *s;
  int error;
};

static void ws(struct ar *a) {
  while (isspace((unsigned char)*a->s)) a->s++;
}

static long expr(struct ar *a, int prec);

static long primary(struct ar *a) {
  ws(a);
  char c = *a->s;
  if (c == '(') {
    a->s++;
    long v = expr(a, 0);
    ws(a);
    if (*a->s == ')') a->s++;
    else a->error = 1;
    return v;
  }
  if (c == '-') return a->s++, -primary(a);
  if (c == '+') return a->s++, primary(a);
  if (c == '!') return a->s++, !primary(a);
  if (c == '~') return a->s++, ~primary(a);
  if (isdigit((unsigned char)c)) {
    char *end;
    long v = strtol(a->s, &end, 0);
    a->s = end;
    return v;
  }
  if (isalpha((unsigned char)c) || c == '_') {
    char name[128];
    size_t n = 0;
    while ((isalnum((unsigned char)*a->s) || *a->s == '_') && n + 1 < sizeof name) name[n++] = *a->s++;
    name[n] = 0;
    const char *v = getenv(name);
    return v ? strtol(v, NULL, 0) : 0;
  }
  a->error = 1;
  return 0;
}

/* Binary operators by precedence (higher binds tighter). */
static const struct {
  const char *op;
  int prec;
} OPS[] = {{"||", 1}, {"&&", 2}, {"|", 3}, {"^", 4}, {"&", 5}, {"==", 6}, {"!=", 6}, {"<=", 7}, {">=", 7},
           {"<<", 8},  {">>", 8}, {"<", 7},  {">", 7},  {"+", 9},  {"-", 9},  {"*", 10}, {"/", 10}, {"%", 10}};

static long apply(const char *op, long l, long r, struct ar *a) {
  if (!strcmp(op, "||")) return l || r;
  if (!strcmp(op, "&&")) return l && r;
  if (!strcmp(op, "|")) return l | r;
  if (!strcmp(op, "^")) return l ^ r;
  if (!strcmp(op, "&")) return l & r;
  if (!strcmp(op, "==")) return l == r;
  if (!strcmp(op, "!=")) return l != r;
  if (!strcmp(op, "<=")) return l <= r;
  if (!strcmp(op, ">=")) return l >= r;
  if (!strcmp(op, "<<")) return l << r;
  if (!strcmp(op, ">>")) return l >> r;
  if (!strcmp(op, "<")) return l < r;
  if (!strcmp(op, ">")) return l > r;
  if (!strcmp(op, "+")) return l + r;
  if (!strcmp(op, "-")) return l - r;
  if (!strcmp(op, "*")) return l * r;
  if (r == 0) {
    a->error = 2;
    return 0;
  }
  return !strcmp(op, "/") ? l / r : l % r;
}

static long expr(struct ar *a, int prec) {
  long l = primary(a);
  for (;;) {
    ws(a);
    int found = -1;
    for (size_t i = 0; i < sizeof OPS / sizeof *OPS; i++)
      if (!strncmp(a->s, OPS[i].op, strlen(OPS[i].op))) {
        found = (int)i;
        break;
      }
    if (found < 0 || OPS[found].prec <= prec) return l;
    a->s += strlen(OPS[found].op);
    long r = expr(a, OPS[found].prec);
    l = apply(OPS[found].op, l, r, a);
  }
}

long arith(const char *s) {
  struct ar a = {s, 0};
  long v = expr(&a, 0);
  ws(&a);
  if (*a.s) a.error = 1;
  if (a.error) {
    /* an expansion error ends a non-interactive shell, as in busybox */
    fputs(a.error == 2 ? "sh: divide by zero\n" : "sh: arithmetic syntax error\n", stderr);
    fflush(stdout);
    exit(2);
  }
  return v;
}
