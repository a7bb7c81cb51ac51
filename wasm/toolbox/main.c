/*
 * The toolbox's entry: run the applet named by argv[0] (a link such as /bin/ls), or by
 * the first argument when called as `toolbox APPLET …`; `toolbox --list` names them all.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toolbox.h"

const char *applet_name = "toolbox";

static const struct {
  const char *name;
  int (*run)(int, char **);
} applets[] = {
#define APPLET(name, fn) {name, fn},
#define ALIAS(name, fn) {name, fn},
#include "applets.def"
#undef APPLET
#undef ALIAS
};


void tb_error(const char *fmt, ...) {
  fflush(stdout);
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "%s: ", applet_name);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

void tb_perror(const char *what) { tb_error("%s: %s", what, strerror(errno)); }

void *tb_malloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) {
    tb_error("out of memory");
    exit(1);
  }
  return p;
}

void *tb_realloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p) {
    tb_error("out of memory");
    exit(1);
  }
  return p;
}

char *tb_strdup(const char *s) {
  char *d = tb_malloc(strlen(s) + 1);
  return strcpy(d, s);
}

int main(int argc, char **argv) {
  const char *name = argc > 0 ? argv[0] : "toolbox";
  const char *slash = strrchr(name, '/');
  if (slash) name = slash + 1;
  if (!strcmp(name, "toolbox")) {
    if (argc < 2 || !strcmp(argv[1], "--list")) {
      for (size_t i = 0; i < sizeof applets / sizeof applets[0]; i++) puts(applets[i].name);
      return argc < 2 ? 1 : 0;
    }
    argc--, argv++;
    name = argv[0];
  }
  for (size_t i = 0; i < sizeof applets / sizeof applets[0]; i++)
    if (!strcmp(applets[i].name, name)) {
      applet_name = applets[i].name;
      int status = applets[i].run(argc, argv);
      if (fflush(stdout) != 0 && errno != EPIPE) {
        tb_perror("write error");
        status = 1;
      }
      return status;
    }
  fprintf(stderr, "toolbox: applet not found: %s\n", name);
  return 127;
}
