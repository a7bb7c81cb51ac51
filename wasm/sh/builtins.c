/* Builtins that must run in the shell itself, or are expected to. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/printf_format.h"
#include "../lib/sys.h"
#include "../lib/test_expr.h"
#include "jobs.h"
#include "lineedit.h"
#include "sh.h"

extern char **environ;

static int b_true(int argc, char **argv) {
  (void)argc, (void)argv;
  return 0;
}
static int b_false(int argc, char **argv) {
  (void)argc, (void)argv;
  return 1;
}

static int b_echo(int argc, char **argv) {
  int i = 1, newline = 1;
  if (i < argc && !strcmp(argv[i], "-n")) newline = 0, i++;
  for (; i < argc; i++) {
    fputs(argv[i], stdout);
    if (i + 1 < argc) putchar(' ');
  }
  if (newline) putchar('\n');
  return 0;
}

static int b_exit(int argc, char **argv) {
  fflush(stdout);
  if (argc > 1) {
    const char *a = argv[1];
    for (const char *c = a; *c; c++)
      if (*c < '0' || *c > '9' || !*a) {
        fprintf(stderr, "sh: exit: line %d: Illegal number: %s\n", current_line, a);
        exit(2);
      }
    if (!*a) {
      fprintf(stderr, "sh: exit: line %d: Illegal number: \n", current_line);
      exit(2);
    }
  }
  exit(argc > 1 ? atoi(argv[1]) & 255 : last_status);
}


static int b_cd(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : getenv("HOME");
  if (!dir) dir = "/";
  if (sys_chdir(dir) != 0) {
    fprintf(stderr, "sh: cd: line %d: can't cd to %s: %s\n", current_line, dir, strerror(errno));
    return 2;
  }
  char cwd[1024];
  if (getcwd(cwd, sizeof cwd)) {
    setenv("PWD", cwd, 1);
  }
  return 0;
}

static int b_pwd(int argc, char **argv) {
  (void)argc, (void)argv;
  char cwd[1024];
  if (!getcwd(cwd, sizeof cwd)) return 1;
  puts(cwd);
  return 0;
}

static int b_export(int argc, char **argv) {
  if (argc == 1 || (argc == 2 && !strcmp(argv[1], "-p"))) print_exports();
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-p")) continue;
    char *eq = strchr(argv[i], '=');
    if (eq) putenv(xstrdup(argv[i]));
    set_exported(argv[i], 1);
  }
  return 0;
}

static int b_unset(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "-f")) continue;
    unsetenv(argv[i]);
    set_exported(argv[i], 0);
  }
  return 0;
}

extern int break_levels, continue_levels, returning, loop_depth, errexit, xtrace;
int nounset;
extern char **script_args;
extern int script_argc;
int run_source_text(const char *src);
static int is_special_builtin(const char *name);

static int b_break(int argc, char **argv) {
  if (loop_depth) break_levels = argc > 1 ? atoi(argv[1]) : 1;
  return 0;
}
static int b_continue(int argc, char **argv) {
  if (loop_depth) continue_levels = argc > 1 ? atoi(argv[1]) : 1;
  return 0;
}
static int b_return(int argc, char **argv) {
  returning = 1;
  return argc > 1 ? atoi(argv[1]) & 255 : last_status;
}
static int b_shift(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1;
  if (n > script_argc) return 1;
  script_args += n;
  script_argc -= n;
  return 0;
}

/* read [-r] NAME…: a line from stdin, split on IFS into the names (the last takes the rest). */
static int b_read(int argc, char **argv) {
  int i = 1, raw = 0;
  if (i < argc && !strcmp(argv[i], "-r")) raw = 1, i++;
  char line[4096];
  size_t n = 0;
  char c;
  int got = 0;
  while (n + 1 < sizeof line && read(0, &c, 1) == 1) {
    got = 1;
    if (c == '\\' && !raw) {
      if (read(0, &c, 1) != 1) break;
      if (c == '\n') continue;
    } else if (c == '\n')
      break;
    line[n++] = c;
  }
  line[n] = 0;
  const char *ifs = getenv("IFS");
  if (!ifs) ifs = " \t\n";
  char *p = line;
  if (i >= argc) {
    setenv("REPLY", line, 1);
    return got ? 0 : 1;
  }
  for (; i < argc; i++) {
    while (*p && strchr(ifs, *p)) p++;
    if (i == argc - 1) {
      size_t l = strlen(p);
      while (l > 0 && strchr(ifs, p[l - 1])) p[--l] = 0;
      setenv(argv[i], p, 1);
      break;
    }
    char *start = p;
    while (*p && !strchr(ifs, *p)) p++;
    if (*p) *p++ = 0;
    setenv(argv[i], start, 1);
  }
  return got ? 0 : 1;
}

static int b_set(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (argv[i][0] == '-' && argv[i][1] && argv[i][1] != '-') {
      for (const char *o = argv[i] + 1; *o; o++)
        if (*o == 'e') errexit = 1;
        else if (*o == 'u') nounset = 1;
        else if (*o == 'x') xtrace = 1;
    } else if (argv[i][0] == '+') {
      for (const char *o = argv[i] + 1; *o; o++)
        if (*o == 'e') errexit = 0;
        else if (*o == 'u') nounset = 0;
        else if (*o == 'x') xtrace = 0;
    }
    else if (!strcmp(argv[i], "--")) {
      script_args = argv + i + 1;
      script_argc = argc - i - 1;
      break;
    }
  }
  return 0;
}

/* printf FORMAT [ARG…]: see wasm/lib/printf_format.c. */
static int b_printf(int argc, char **argv) { return printf_main("sh", argc, argv); }

static int b_eval(int argc, char **argv) {
  size_t n = 1;
  for (int i = 1; i < argc; i++) n += strlen(argv[i]) + 1;
  char *src = xmalloc(n);
  src[0] = 0;
  for (int i = 1; i < argc; i++) {
    if (i > 1) strcat(src, " ");
    strcat(src, argv[i]);
  }
  int st = run_source_text(src);
  free(src);
  return st;
}

/* . FILE [ARG…] (also `source`): run FILE here; ARGs become $1… while it runs. */
static int b_dot(int argc, char **argv) {
  if (argc < 2) return 0;
  if (argc > 2) {
    char **saved = script_args;
    int saved_argc = script_argc;
    script_args = argv + 2;
    script_argc = argc - 2;
    int st = b_dot(2, argv);
    script_args = saved;
    script_argc = saved_argc;
    return st;
  }
  FILE *f = fopen(argv[1], "r");
  if (!f) {
    fprintf(stderr, "sh: .: line %d: can't open '%s': %s\n", current_line, argv[1], strerror(errno));
    return 2;
  }
  size_t cap = 4096, n = 0, r;
  char *src = xmalloc(cap);
  while ((r = fread(src + n, 1, cap - n - 1, f)) > 0) {
    n += r;
    if (cap - n < 2) src = realloc(src, cap *= 2);
    if (!src) die_oom();
  }
  src[n] = 0;
  fclose(f);
  return run_source_text(src);
}

/* test / [: see wasm/lib/test_expr.c. */
static int b_test(int argc, char **argv) { return test_main("sh", argc, argv); }

int is_function(const char *name);
int wait_builtin(int argc, char **argv);
char *exit_trap;

/* trap ACTION SIGNAL…: EXIT runs ACTION when the shell exits; INT/TERM/HUP set a handler
   that runs it between commands; '' ignores, - resets. */
static int b_trap(int argc, char **argv) {
  if (argc < 3) return argc == 1 ? 0 : 2;
  for (int i = 2; i < argc; i++) {
    const char *sig = argv[i];
    if (!strncmp(sig, "SIG", 3)) sig += 3;
    if (!strcmp(sig, "EXIT") || !strcmp(sig, "0")) {
      free(exit_trap);
      exit_trap = strcmp(argv[1], "-") ? xstrdup(argv[1]) : NULL;
      continue;
    }
    int n = !strcmp(sig, "HUP") ? 1 : !strcmp(sig, "INT") ? 2 : !strcmp(sig, "QUIT") ? 3 : !strcmp(sig, "TERM") ? 15 : atoi(sig);
    if (n <= 0 || n > 31) {
      fprintf(stderr, "sh: trap: %s: invalid signal specification\n", argv[i]);
      return 1;
    }
    set_trap(n, strcmp(argv[1], "-") ? argv[1] : NULL);
  }
  return 0;
}
int find_program_path(const char *name, char *out, size_t outlen);

/* command -v NAME / type NAME: what a name runs. */
static int b_type(int argc, char **argv) {
  int v = !strcmp(argv[0], "command"), i = 1, status = 0;
  if (v) {
    if (i < argc && !strcmp(argv[i], "-v")) i++;
    else if (i < argc) {
      /* command NAME ARG…: a builtin or a program, never a function of that name */
      builtin_fn fn = find_builtin(argv[i]);
      return fn ? fn(argc - i, argv + i) : run_program_here(argv + i);
    } else
      return 0;
  }
  for (; i < argc; i++) {
    char path[1024];
    if (find_builtin(argv[i]) || is_function(argv[i])) {
      if (v) printf("%s\n", argv[i]);
      else
        printf("%s is a %s\n", argv[i], is_function(argv[i]) ? "function" : is_special_builtin(argv[i]) ? "special shell builtin" : "shell builtin");
    } else if (find_program_path(argv[i], path, sizeof path) == 0) {
      if (v) printf("%s\n", path);
      else
        printf("%s is %s\n", argv[i], path);
    } else {
      if (!v) printf("%s: not found\n", argv[i]);
      status = v ? 1 : 127;
    }
  }
  return status;
}

static int b_kill(int argc, char **argv) {
  int sig = 15, i = 1;
  if (i < argc && argv[i][0] == '-') {
    const char *s = argv[i] + 1;
    if (!strncmp(s, "SIG", 3)) s += 3;
    static const char *names[] = {"", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1",
                                  "SEGV", "USR2", "PIPE", "ALRM", "TERM"};
    sig = -1;
    for (int k = 1; k < 16; k++)
      if (!strcmp(s, names[k])) sig = k;
    if (sig < 0) sig = atoi(s);
    i++;
  }
  int status = 0;
  for (; i < argc; i++)
    if (sys_kill(atoi(argv[i]), sig)) {
      fprintf(stderr, "sh: kill: can't kill pid %s: No such process\n", argv[i]);
      status = 1;
    }
  return status;
}

static int b_umask(int argc, char **argv) {
  if (argc < 2) {
    unsigned m = sys_umask(0);
    sys_umask(m);
    printf("%04o\n", m);
    return 0;
  }
  sys_umask((unsigned)strtol(argv[1], NULL, 8));
  return 0;
}

static const struct {
  const char *name;
  builtin_fn fn;
} builtins[] = {
    {"trap", b_trap},     {"wait", wait_builtin},   {"type", b_type},     {"command", b_type},      {"kill", b_kill},     {"umask", b_umask},
    {"break", b_break},   {"continue", b_continue}, {"return", b_return}, {"shift", b_shift},
    {"read", b_read},     {"set", b_set},           {"printf", b_printf}, {"eval", b_eval},
    {".", b_dot},         {"test", b_test},         {"[", b_test},
    {":", b_true},       {"true", b_true}, {"false", b_false}, {"echo", b_echo},   {"exit", b_exit},
    {"cd", b_cd},        {"pwd", b_pwd},   {"export", b_export}, {"unset", b_unset},
    {"source", b_dot},   {"getopts", b_getopts}, {"hash", b_true},
    {"jobs", jobs_builtin}, {"history", history_builtin},
};

/* POSIX's special builtins (and ash's local), as `type` names them. */
static int is_special_builtin(const char *name) {
  static const char *const special[] = {".", ":", "break", "continue", "eval", "exec", "exit", "export", "readonly",
                                        "return", "set", "shift", "source", "times", "trap", "unset", "local", NULL};
  for (const char *const *s = special; *s; s++)
    if (!strcmp(*s, name)) return 1;
  return 0;
}

builtin_fn find_builtin(const char *name) {
  for (size_t i = 0; i < sizeof builtins / sizeof *builtins; i++)
    if (!strcmp(builtins[i].name, name)) return builtins[i].fn;
  return find_scope_builtin(name);
}
