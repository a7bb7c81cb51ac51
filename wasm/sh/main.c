/*
 * sh: berth's POSIX shell. `sh -c COMMAND [NAME [ARG…]]`, `sh FILE [ARG…]`, or commands
 * on standard input. This first version runs simple commands, pipelines, ; && || &,
 * redirections, quoting and parameter expansion; see wasm/README.md for what is next.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sh.h"

char **script_args;
int script_argc;
const char *script_name = "sh";

void die_oom(void) {
  fputs("sh: out of memory\n", stderr);
  exit(2);
}

void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) die_oom();
  return p;
}

char *xstrdup(const char *s) {
  char *d = strdup(s);
  if (!d) die_oom();
  return d;
}

static char *read_all(int fd) {
  size_t cap = 4096, n = 0;
  char *buf = xmalloc(cap);
  ssize_t r;
  while ((r = read(fd, buf + n, cap - n - 1)) > 0) {
    n += (size_t)r;
    if (cap - n < 2) {
      cap *= 2;
      buf = realloc(buf, cap);
      if (!buf) die_oom();
    }
  }
  buf[n] = 0;
  return buf;
}

int run_source_text(const char *src);
int run_source_text(const char *src) {
  char *error = NULL;
  int count;
  struct token *toks = lex(src, &count, &error);
  struct list *l = toks ? parse(src, toks, count, &error) : NULL;
  if (error) {
    fprintf(stderr, "sh: %s\n", error);
    return 2;
  }
  return run_list(l);
}

int main(int argc, char **argv) {
  /* the EXIT trap runs however the shell ends (exit builtin, end of script, set -e) */
  atexit(run_exit_trap);
  if (argc > 2 && !strcmp(argv[1], "-c")) {
    if (argc > 3) script_name = argv[3];
    script_args = argv + 4;
    script_argc = argc > 4 ? argc - 4 : 0;
    int st = run_source_text(argv[2]);
    fflush(stdout);
    return st;
  }
  line_base = 1;
  if (argc > 1) {
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) {
      fprintf(stderr, "sh: can't open '%s': %s\n", argv[1], strerror(errno));
      return 2;
    }
    script_name = argv[1];
    script_args = argv + 2;
    script_argc = argc - 2;
    char *src = read_all(fd);
    close(fd);
    return run_source_text(src);
  }
  return run_source_text(read_all(0));
}
