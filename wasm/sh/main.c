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

#include "../lib/sys.h"
#include "../lib/tty.h"
#include "interactive.h"
#include "sh.h"

char **script_args;
int script_argc;
const char *script_name = "sh";
int script_file; /* running a script file (not -c or standard input) */

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
  char *error = NULL, *lex_error = NULL;
  int count, at_end = 0, status = 0;
  size_t error_at = 0;
  struct token *toks = lex(src, &count, &lex_error);
  struct parser *p = parse_begin(src, toks, count);
  /* command by command, as busybox: what comes before a syntax error runs */
  for (;;) {
    struct list *l = parse_next(p, &error, &error_at, &at_end);
    if (at_end && !lex_error) return status;
    if (!l) {
      /* an unterminated quote or $( is found at the end of the input: that line is named */
      if (lex_error && (at_end || error_at >= lex_error_at)) error = lex_error, error_at = strlen(src);
      report_syntax_error(src, error, error_at);
      return 2;
    }
    status = run_list(l);
    if (returning || break_levels || continue_levels) return status;
  }
}

/* "sh: MESSAGE", or "SCRIPT: line N: MESSAGE" for a script file, as busybox words them. */
void report_syntax_error(const char *src, const char *error, size_t at) {
  fflush(stdout);
  if (!script_file) {
    fprintf(stderr, "sh: %s\n", error);
    return;
  }
  int line = line_base;
  for (size_t i = 0; i < at && src[i]; i++)
    if (src[i] == '\n') line++;
  fprintf(stderr, "%s: line %d: %s\n", script_name, line, error);
}

/* Child shells run this shell's own program: in an image whose /bin/sh is something
 * else (the toolbox mounted at /.berth), /bin/sh would be the wrong one. */
static void find_own_program(void) {
  static char self[1024];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n > 0 && self[0] == '/') {
    self[n] = 0;
    shell_path = self;
  }
}

int main(int argc, char **argv) {
  find_own_program();
  shell_pid = sys_getpid();
  exports_init();
  int is_subshell = subshell_restore();
  /* as ash: $PWD names the working directory the shell started in */
  char cwd[1024];
  if (getcwd(cwd, sizeof cwd)) setenv("PWD", cwd, 1);
  /* the EXIT trap runs however the shell ends (exit builtin, end of script, set -e) */
  atexit(run_exit_trap);
  /* sh [-eux] [-c COMMAND [NAME [ARG…]] | FILE [ARG…]]: options as `set` takes them */
  int command_mode = 0, first = 1, interactive = 0;
  for (; first < argc && (argv[first][0] == '-' || argv[first][0] == '+') && argv[first][1]; first++) {
    if (!strcmp(argv[first], "--")) {
      first++;
      break;
    }
    int on = argv[first][0] == '-';
    for (const char *o = argv[first] + 1; *o; o++)
      if (*o == 'c') command_mode = 1;
      else if (*o == 'e') errexit = on;
      else if (*o == 'u') nounset = on;
      else if (*o == 'x') xtrace = on;
      else if (*o == 'i') interactive = 1;
      else if (*o != 's') {
        fprintf(stderr, "sh: illegal option -%c\n", *o);
        return 2;
      }
  }
  argc -= first - 1;
  argv += first - 1;
  if (command_mode) {
    if (argc < 2) {
      fputs("sh: -c requires an argument\n", stderr);
      return 2;
    }
    if (!is_subshell) {
      if (argc > 2) script_name = argv[2];
      script_args = argv + 3;
      script_argc = argc > 3 ? argc - 3 : 0;
    }
    int st = run_source_text(argv[1]);
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
    script_file = 1;
    script_args = argv + 2;
    script_argc = argc - 2;
    char *src = read_all(fd);
    close(fd);
    return run_source_text(src);
  }
  /* on a terminal (or with -i): prompts, line editing, job control (interactive.c) */
  if (interactive || (!is_subshell && tty_is_terminal(0))) return interactive_main();
  return run_source_text(read_all(0));
}
