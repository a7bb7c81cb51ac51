/*
 * printf FORMAT [ARG…] — shared by sh's builtin and the toolbox applet, as busybox's:
 * escapes in FORMAT (\n \t \\ \NNN \xHH …), conversions %s %b %c %d %i %o %u %x %X
 * %e %E %f %F %g %G %a %% with flags, width and precision (also *), FORMAT reused while
 * ARGs remain, missing ARGs as "" or 0, 'c for a character's value; an invalid number
 * prints 0 and "PROG: invalid number 'x'" and makes the status 1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "printf_format.h"

static const char *prog;
static int status;

/* One escape at *p (after the backslash); returns the byte, -1 for \c (stop). */
static int escape(const char **p, int in_b) {
  const char *s = *p;
  int c = *s++;
  switch (c) {
  case 'n': c = '\n'; break;
  case 't': c = '\t'; break;
  case 'r': c = '\r'; break;
  case 'a': c = '\a'; break;
  case 'b': c = '\b'; break;
  case 'f': c = '\f'; break;
  case 'v': c = '\v'; break;
  case 'e': c = 033; break;
  case '\\': c = '\\'; break;
  case 'c':
    *p = s;
    return -1;
  case 'x': {
    int v = 0, k = 0;
    while (k < 2 && strchr("0123456789abcdefABCDEF", *s) && *s) {
      v = v * 16 + (*s <= '9' ? *s - '0' : (*s | 32) - 'a' + 10);
      s++, k++;
    }
    c = k ? v : '\\', s = k ? s : s - 1;
    if (!k) {
      *p = s;
      return '\\';
    }
    break;
  }
  default:
    if (c >= '0' && c <= '7') {
      /* \NNN in FORMAT, \0NNN in a %b argument */
      int v = c - '0', k = 1, max = in_b && c == '0' ? 4 : 3;
      while (k < max && *s >= '0' && *s <= '7') v = v * 8 + (*s++ - '0'), k++;
      c = v & 255;
    } else {
      *p = s - 1;
      return '\\';
    }
  }
  *p = s;
  return c;
}

/* An integer argument; UNSIGNED takes up to 2^64-1 (and negatives, wrapped), as busybox. */
static long long to_int(const char *a, int is_unsigned) {
  if (!a) a = "";
  if (a[0] == '\'' || a[0] == '"') return (unsigned char)a[1];
  char *end;
  errno = 0;
  long long v = is_unsigned && a[0] != '-' ? (long long)strtoull(a, &end, 0) : strtoll(a, &end, 0);
  if (*a == 0 || *end || errno == ERANGE) {
    fflush(stdout);
    fprintf(stderr, "%s: invalid number '%s'\n", prog, a);
    status = 1;
    return 0;
  }
  return v;
}

static double to_double(const char *a) {
  if (!a) a = "";
  if (a[0] == '\'' || a[0] == '"') return (unsigned char)a[1];
  char *end;
  errno = 0;
  double v = strtod(a, &end);
  if (*a == 0 || *end || errno == ERANGE) {
    fflush(stdout);
    fprintf(stderr, "%s: invalid number '%s'\n", prog, a);
    status = 1;
    /* out of range: busybox prints the value (inf, 0) all the same */
    return errno == ERANGE && !*end ? v : 0;
  }
  return v;
}

int printf_main(const char *program, int argc, char **argv) {
  prog = program;
  status = 0;
  if (argc < 2) {
    fprintf(stderr, "%s: usage: printf FORMAT [ARGUMENT...]\n", prog);
    return 2;
  }
  const char *fmt = argv[1];
  char **ap = argv + 2, **end = argv + argc;
  do {
    int used = 0;
    for (const char *p = fmt; *p; p++) {
      if (*p == '\\') {
        p++;
        int c = escape(&p, 0);
        if (c < 0) return status;
        putchar(c);
        p--;
        continue;
      }
      if (*p != '%') {
        putchar(*p);
        continue;
      }
      if (p[1] == '%') {
        putchar('%');
        p++;
        continue;
      }
      /* %[flags][width][.precision]conv */
      char spec[64];
      size_t n = 0;
      spec[n++] = '%';
      const char *q = p + 1;
      while (*q && strchr("-+ #0", *q) && n < 40) spec[n++] = *q++;
      if (*q == '*') {
        n += (size_t)snprintf(spec + n, sizeof spec - n, "%d", (int)to_int(ap < end ? *ap : NULL, 0));
        if (ap < end) ap++;
        used = 1;
        q++;
      } else
        while (*q >= '0' && *q <= '9' && n < 50) spec[n++] = *q++;
      if (*q == '.') {
        spec[n++] = *q++;
        if (*q == '*') {
          n += (size_t)snprintf(spec + n, sizeof spec - n, "%d", (int)to_int(ap < end ? *ap : NULL, 0));
          if (ap < end) ap++;
          used = 1;
          q++;
        } else
          while (*q >= '0' && *q <= '9' && n < 60) spec[n++] = *q++;
      }
      const char *mods = q;
      while (*q == 'l' || *q == 'h' || *q == 'z' || *q == 'L') q++;
      char conv = *q;
      if (!conv || !strchr("sbcdiouxXeEfgG", conv)) {
        /* busybox names the format without its length modifiers */
        fflush(stdout);
        fprintf(stderr, "%s: %.*s%s: invalid format\n", prog, (int)(mods - p), p, q);
        return 1;
      }
      const char *arg = ap < end ? *ap++ : NULL;
      used = 1;
      if (conv == 's') {
        spec[n++] = 's', spec[n] = 0;
        printf(spec, arg ? arg : "");
      } else if (conv == 'b') {
        /* the argument's escapes, then printed as %s would */
        const char *a = arg ? arg : "";
        char *buf = malloc(strlen(a) + 1);
        size_t k = 0;
        int stop = 0;
        for (const char *s = a; *s; s++) {
          if (*s == '\\' && s[1]) {
            s++;
            int c = escape(&s, 1);
            s--;
            if (c < 0) {
              stop = 1;
              break;
            }
            buf[k++] = (char)c;
          } else
            buf[k++] = *s;
        }
        buf[k] = 0;
        spec[n++] = 's', spec[n] = 0;
        printf(spec, buf);
        free(buf);
        if (stop) return status;
      } else if (conv == 'c') {
        spec[n++] = 'c', spec[n] = 0;
        printf(spec, arg && *arg ? arg[0] : 0);
      } else if (strchr("diouxX", conv)) {
        spec[n++] = 'l', spec[n++] = 'l', spec[n++] = conv, spec[n] = 0;
        long long v = to_int(arg, conv != 'd' && conv != 'i');
        if (conv == 'd' || conv == 'i') printf(spec, v);
        else printf(spec, (unsigned long long)v);
      } else {
        spec[n++] = conv, spec[n] = 0;
        printf(spec, to_double(arg));
      }
      p = q;
    }
    if (!used) break;
  } while (ap < end);
  return status;
}
