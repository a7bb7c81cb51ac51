/*
 * $(( … )): integer arithmetic over longs with C's operators and precedence —
 * assignments (= += -= *= /= %= <<= >>= &= ^= |=), ?:, || && (short-circuit), | ^ &,
 * == != < <= > >=, << >>, + - * / %, unary - + ! ~, ++ and -- on variables, the comma,
 * and constants in decimal, octal (010) and hex (0x10). Variables are read by name.
 * Like busybox, && || and ?: evaluate both sides (side effects included).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"

struct ar {
  const char *s;
  int error;   /* 1 syntax, 2 divide by zero */
};

static void ws(struct ar *a) {
  while (isspace((unsigned char)*a->s)) a->s++;
}

static int lookahead(struct ar *a, const char *op) {
  ws(a);
  return !strncmp(a->s, op, strlen(op));
}

static long var_value(const char *name) {
  const char *v = getenv(name);
  return v && *v ? strtol(v, NULL, 0) : 0;
}

static void set_var(struct ar *a, const char *name, long v) {
  (void)a;
  char buf[32];
  snprintf(buf, sizeof buf, "%ld", v);
  setenv(name, buf, 1);
}

static long assignment(struct ar *a);
static long comma(struct ar *a);

static long binop(struct ar *a, const char *op, long l, long r) {
  switch (op[0]) {
  case '*': return l * r;
  case '/':
  case '%':
    if (r == 0) {
      a->error = 2;
      return 0;
    }
    return op[0] == '/' ? l / r : l % r;
  case '+': return l + r;
  case '-': return l - r;
  case '<': return op[1] == '<' ? l << r : op[1] == '=' ? l <= r : l < r;
  case '>': return op[1] == '>' ? l >> r : op[1] == '=' ? l >= r : l > r;
  case '=': return l == r;
  case '!': return l != r;
  case '&': return l & r;
  case '^': return l ^ r;
  case '|': return l | r;
  }
  return 0;
}

static int name_char(char c, int first) { return isalpha((unsigned char)c) || c == '_' || (!first && isdigit((unsigned char)c)); }

static long unary(struct ar *a) {
  ws(a);
  const char *s = a->s;
  if (s[0] == '(') {
    a->s++;
    long v = comma(a);
    if (lookahead(a, ")")) a->s++;
    else a->error = 1;
    return v;
  }
  if ((s[0] == '+' || s[0] == '-') && s[1] == s[0]) {
    /* ++x, --x */
    a->s += 2;
    ws(a);
    char name[128];
    size_t n = 0;
    while (name_char(*a->s, n == 0) && n + 1 < sizeof name) name[n++] = *a->s++;
    name[n] = 0;
    if (!n) {
      a->error = 1;
      return 0;
    }
    long v = var_value(name) + (s[0] == '+' ? 1 : -1);
    set_var(a, name, v);
    return v;
  }
  if (s[0] == '-') return a->s++, -unary(a);
  if (s[0] == '+') return a->s++, unary(a);
  if (s[0] == '!') return a->s++, !unary(a);
  if (s[0] == '~') return a->s++, ~unary(a);
  if (isdigit((unsigned char)s[0])) {
    char *end;
    long v = strtol(s, &end, 0);
    if (name_char(*end, 0)) a->error = 1; /* 08, 1a */
    a->s = end;
    return v;
  }
  if (name_char(s[0], 1)) {
    char name[128];
    size_t n = 0;
    while (name_char(*a->s, n == 0) && n + 1 < sizeof name) name[n++] = *a->s++;
    name[n] = 0;
    static const char *const ASSIGN[] = {"<<=", ">>=", "+=", "-=", "*=", "/=", "%=", "&=", "^=", "|=", "=", NULL};
    ws(a);
    for (const char *const *op = ASSIGN; *op; op++)
      if (!strncmp(a->s, *op, strlen(*op)) && !(op[0][0] == '=' && a->s[1] == '=')) {
        a->s += strlen(*op);
        long r = assignment(a);
        long v = **op == '=' ? r : binop(a, *op, var_value(name), r);
        set_var(a, name, v);
        return v;
      }
    long v = var_value(name);
    if ((a->s[0] == '+' || a->s[0] == '-') && a->s[1] == a->s[0]) {
      set_var(a, name, v + (a->s[0] == '+' ? 1 : -1));
      a->s += 2;
    }
    return v;
  }
  a->error = 1;
  return 0;
}

/* Binary operators, loosest first; each level calls the next. */
static const char *const LEVELS[][5] = {
    {"||", NULL}, {"&&", NULL}, {"|", NULL}, {"^", NULL}, {"&", NULL},
    {"==", "!=", NULL}, {"<=", ">=", "<", ">", NULL}, {"<<", ">>", NULL}, {"+", "-", NULL}, {"*", "/", "%", NULL},
};
#define NLEVELS (int)(sizeof LEVELS / sizeof *LEVELS)

static const char *match_op(struct ar *a, int level) {
  ws(a);
  for (const char *const *op = LEVELS[level]; *op; op++) {
    size_t n = strlen(*op);
    if (strncmp(a->s, *op, n)) continue;
    /* not the start of a longer operator: | of ||, & of &&, < of <<, = of an assignment */
    char next = a->s[n];
    if ((n == 1 && next == a->s[0] && strchr("|&<>", next)) || (next == '=' && strcmp(*op, "<") && strcmp(*op, ">") && n == 1))
      continue;
    if (n == 2 && (!strcmp(*op, "<<") || !strcmp(*op, ">>")) && next == '=') continue;
    return *op;
  }
  return NULL;
}

static long level(struct ar *a, int k) {
  if (k == NLEVELS) return unary(a);
  long l = level(a, k + 1);
  const char *op;
  while (!a->error && (op = match_op(a, k))) {
    a->s += strlen(op);
    /* as busybox: both sides are evaluated (assignments and all), only the value short-circuits */
    if (!strcmp(op, "||") || !strcmp(op, "&&")) {
      long r = level(a, k + 1);
      l = !strcmp(op, "||") ? (l || r) : (l && r);
    } else
      l = binop(a, op, l, level(a, k + 1));
  }
  return l;
}

/* c ? t : f — busybox evaluates both branches too, and gives the chosen one's value. */
static long conditional(struct ar *a) {
  long c = level(a, 0);
  if (!lookahead(a, "?")) return c;
  a->s++;
  long t = assignment(a);
  if (!lookahead(a, ":")) {
    a->error = 1;
    return 0;
  }
  a->s++;
  long f = conditional(a);
  return c ? t : f;
}

static long assignment(struct ar *a) { return conditional(a); }

/* a, b: both, the value of the last */
static long comma(struct ar *a) {
  long v = assignment(a);
  while (!a->error && lookahead(a, ",")) {
    a->s++;
    v = assignment(a);
  }
  return v;
}

long arith(const char *s) {
  struct ar a = {s, 0};
  long v = comma(&a);
  ws(&a);
  if (*a.s) a.error = a.error ? a.error : 1;
  if (a.error) {
    /* an expansion error ends a non-interactive shell, as in busybox */
    fputs(a.error == 2 ? "sh: divide by zero\n" : "sh: arithmetic syntax error\n", stderr);
    fflush(stdout);
    exit(2);
  }
  return v;
}
