/* xargs: run a command with arguments read from stdin (blank-separated with quotes and
 * backslashes, NUL-separated with -0, one line each with -I), as busybox's, including
 * its exit codes: 123 a command failed, 124 one exited 255, 125 one was killed, 126/127
 * it cannot be run. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text_usage.h"
#include "textopt.h"
#include "toolbox.h"

extern char **environ;

static int xargs_trace;

/* Runs ARGV; the exit status xargs ends with when it must stop now, else -1 (and *failed
 * set when the command failed). */
static int xargs_run(char **argv, int *failed) {
  if (xargs_trace) {
    for (char **a = argv; *a; a++) fprintf(stderr, "%s%s", a == argv ? "" : " ", *a);
    fputc('\n', stderr);
  }
  char path[4096];
  int found = sys_find_program(argv[0], path, sizeof path);
  if (found) {
    errno = found == 127 ? ENOENT : EACCES;
    tb_perror(argv[0]);
    return found;
  }
  fflush(stdout);
  int pid = sys_spawn(path, argv, environ, NULL, 0, 0);
  if (pid < 0) {
    int e = errno;
    tb_perror(argv[0]);
    return e == ENOENT ? 127 : 126;
  }
  int status;
  while (sys_waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) {
      tb_perror("wait");
      return 125;
    }
  if (SYS_WIFSIGNALED(status)) {
    tb_error("'%s' terminated by signal %d", argv[0], SYS_WTERMSIG(status));
    return 125;
  }
  int code = SYS_WEXITSTATUS(status);
  if (code == 255) {
    tb_error("%s: exited with status 255; aborting", argv[0]);
    return 124;
  }
  if (code) *failed = 1;
  return -1;
}

/* The next argument from stdin, NULL at the end; exits on an unmatched quote. */
static char *xargs_word(int nul, int whole_line) {
  size_t cap = 64, n = 0;
  char *w = tb_malloc(cap);
  int c, quote = 0, any = 0;
  if (whole_line)
    while ((c = getchar()) == ' ' || c == '\t' || c == '\n') {}
  else if (!nul)
    while ((c = getchar()) == ' ' || c == '\t' || c == '\n') {}
  else
    c = getchar();
  for (; c != EOF; c = getchar()) {
    if (nul) {
      if (c == 0) break;
    } else if (whole_line) {
      if (c == '\n') break;
    } else if (quote) {
      if (c == quote) {
        quote = 0;
        continue;
      }
    } else if (c == '\'' || c == '"') {
      quote = c, any = 1;
      continue;
    } else if (c == '\\') {
      if ((c = getchar()) == EOF) break;
    } else if (c == ' ' || c == '\t' || c == '\n')
      break;
    if (n + 2 > cap) w = tb_realloc(w, cap *= 2);
    w[n++] = (char)c, any = 1;
  }
  if (quote) {
    tb_error("unmatched %s quote", quote == '\'' ? "single" : "double");
    exit(1);
  }
  if (!any && c == EOF) {
    free(w);
    return NULL;
  }
  w[n] = 0;
  return w;
}

/* S with every "{}" (the -I string) replaced by ARG. */
static char *xargs_replace(const char *s, const char *str, const char *arg) {
  size_t sl = strlen(str), al = strlen(arg), n = 0;
  for (const char *p = s; (p = strstr(p, str)); p += sl) n++;
  char *out = tb_malloc(strlen(s) + n * al + 1), *o = out;
  for (const char *p; (p = strstr(s, str)); s = p + sl) {
    memcpy(o, s, (size_t)(p - s)), o += p - s;
    memcpy(o, arg, al), o += al;
  }
  strcpy(o, s);
  return out;
}

static long xargs_number(const char *s) {
  char *end;
  errno = 0;
  long n = strtol(s, &end, 10);
  if (end == s || *end || errno) {
    tb_error("invalid number '%s'", s);
    exit(1);
  }
  if (n < 1) {
    tb_error("number %ld is not in 1..2147483647 range", n);
    exit(1);
  }
  return n;
}

int applet_xargs(int argc, char **argv) {
  int opt, nul = 0, no_empty = 0;
  long per = 0;
  const char *repl = NULL;
  opterr = 0;
  while ((opt = getopt(argc, argv, "+:n:I:0rtxs:e::E:")) != -1) {
    if (opt == 'n') per = xargs_number(optarg);
    else if (opt == 'I') repl = optarg;
    else if (opt == '0') nul = 1;
    else if (opt == 'r') no_empty = 1;
    else if (opt == 't') xargs_trace = 1;
    else if (opt == '?' || opt == ':') return textopt_bad(opt, USAGE_XARGS, 1);
  }
  static char *echo_cmd[] = {"echo", NULL};
  char **cmd = optind < argc ? argv + optind : echo_cmd;
  int ncmd = optind < argc ? argc - optind : 1;
  int failed = 0, ran = 0, stop;
  char *w;
  if (repl) {
    /* one command per line, {} replaced in its arguments */
    char **args = tb_malloc(sizeof *args * (size_t)(ncmd + 1));
    while ((w = xargs_word(nul, !nul))) {
      for (int i = 0; i < ncmd; i++) args[i] = xargs_replace(cmd[i], repl, w);
      args[ncmd] = NULL;
      ran = 1;
      if ((stop = xargs_run(args, &failed)) >= 0) return stop;
      for (int i = 0; i < ncmd; i++) free(args[i]);
      free(w);
    }
    return failed ? 123 : 0;
  }
  size_t cap = (size_t)ncmd + 64, n;
  char **args = tb_malloc(sizeof *args * cap);
  int more = 1;
  while (more) {
    memcpy(args, cmd, sizeof *args * (size_t)ncmd);
    n = (size_t)ncmd;
    while (!per || (long)(n - (size_t)ncmd) < per) {
      if (!(w = xargs_word(nul, 0))) {
        more = 0;
        break;
      }
      if (n + 2 > cap) args = tb_realloc(args, sizeof *args * (cap *= 2));
      args[n++] = w;
    }
    if (n == (size_t)ncmd && (ran || no_empty)) break;
    args[n] = NULL;
    ran = 1;
    if ((stop = xargs_run(args, &failed)) >= 0) return stop;
    for (size_t i = (size_t)ncmd; i < n; i++) free(args[i]);
  }
  return failed ? 123 : 0;
}
