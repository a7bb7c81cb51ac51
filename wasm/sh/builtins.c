/* Builtins that must run in the shell itself, or are expected to. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../include/berth.h"
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
  exit(argc > 1 ? atoi(argv[1]) & 255 : last_status);
}

static int b_cd(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : getenv("HOME");
  if (!dir) dir = "/";
  if (chdir(dir) != 0) {
    fprintf(stderr, "sh: cd: line %d: can't cd to %s: %s\n", current_line, dir, strerror(errno));
    return 2;
  }
  char cwd[1024];
  if (getcwd(cwd, sizeof cwd)) {
    berth_chdir(cwd, strlen(cwd));
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
  if (argc == 1)
    for (char **e = environ; *e; e++) printf("export %s\n", *e);
  for (int i = 1; i < argc; i++) {
    char *eq = strchr(argv[i], '=');
    if (eq) putenv(xstrdup(argv[i]));
    else if (!getenv(argv[i])) setenv(argv[i], "", 1);
  }
  return 0;
}

static int b_unset(int argc, char **argv) {
  for (int i = 1; i < argc; i++) unsetenv(argv[i]);
  return 0;
}

static const struct {
  const char *name;
  builtin_fn fn;
} builtins[] = {
    {":", b_true},       {"true", b_true}, {"false", b_false}, {"echo", b_echo},   {"exit", b_exit},
    {"cd", b_cd},        {"pwd", b_pwd},   {"export", b_export}, {"unset", b_unset},
};

builtin_fn find_builtin(const char *name) {
  for (size_t i = 0; i < sizeof builtins / sizeof *builtins; i++)
    if (!strcmp(builtins[i].name, name)) return builtins[i].fn;
  return NULL;
}
