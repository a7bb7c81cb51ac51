/* echo [-neE] [ARG]…, as busybox's applet (printf is wasm/lib's, shared with sh). */
#include <stdio.h>
#include <string.h>

#include "../lib/printf_format.h"
#include "fileops.h"
#include "fileops_usage.h"

/* One backslash escape at *p (just after the backslash); -1 for \c, -2 if not an escape. */
static int escape(const char **p) {
  const char *s = *p;
  const char *simple = strchr("abefnrtv\\", *s);
  if (*s && simple) {
    *p = s + 1;
    return "\a\b\033\f\n\r\t\v\\"[simple - "abefnrtv\\"];
  }
  if (*s == 'c') return -1;
  int v = 0, k = 0;
  if (*s == 'x') {
    for (s++; k < 2 && strchr("0123456789abcdefABCDEF", *s) && *s; k++, s++)
      v = v * 16 + (*s <= '9' ? *s - '0' : (*s | 32) - 'a' + 10);
  } else if (*s >= '0' && *s <= '7') {
    if (*s == '0') s++; /* \0NNN: up to three digits after the 0 */
    /* at most three digits, and no more than make a byte (\400 is \40 and 0) */
    for (; k < 3 && *s >= '0' && *s <= '7' && v * 8 + (*s - '0') <= 255; k++, s++) v = v * 8 + (*s - '0');
    k = 1;
  }
  if (!k) return -2;
  *p = s;
  return v;
}

int applet_echo(int argc, char **argv) {
  int newline = 1, escapes = 0, i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
    const char *o = argv[i] + 1;
    if (strspn(o, "neE") != strlen(o)) break;
    for (; *o; o++)
      if (*o == 'n') newline = 0;
      else if (*o == 'e') escapes = 1; /* busybox: -E does not undo an -e */
  }
  for (int first = i; i < argc; i++) {
    if (i > first) putchar(' ');
    for (const char *p = argv[i]; *p; p++) {
      if (!escapes || *p != '\\' || !p[1]) {
        putchar(*p);
        continue;
      }
      const char *q = p + 1;
      int c = escape(&q);
      if (c == -1) return 0;
      if (c == -2) {
        putchar('\\');
        continue;
      }
      putchar(c);
      p = q - 1;
    }
  }
  if (newline) putchar('\n');
  return 0;
}

/* printf as an applet: wasm/lib's, with busybox's usage when FORMAT is missing (sh's
 * builtin answers that differently). */
int applet_printf(int argc, char **argv) {
  if (argc < 2) return fo_usage(USAGE_PRINTF);
  return printf_main(applet_name, argc, argv);
}
