/*
 * Variables with rules: `local` (a function's own value, restored when it returns, as
 * in ash: unset until assigned) and `readonly` (assignments to it fail: "is read only",
 * which ends a non-interactive shell with status 2, as in busybox).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"

struct saved_var {
  char *name;
  char *value; /* NULL: was unset */
  int exported;
};

static struct saved_var *saved;
static size_t nsaved, capsaved;
static char **readonly_names;
static size_t nreadonly;

static int is_readonly(const char *name, size_t len) {
  for (size_t i = 0; i < nreadonly; i++)
    if (strlen(readonly_names[i]) == len && !strncmp(readonly_names[i], name, len)) return 1;
  return 0;
}

/* NAME=value, refusing read-only names. */
void assign_var(const char *assignment) {
  const char *eq = strchr(assignment, '=');
  size_t len = eq ? (size_t)(eq - assignment) : strlen(assignment);
  if (is_readonly(assignment, len)) {
    fflush(stdout);
    fprintf(stderr, "sh: %.*s: is read only\n", (int)len, assignment);
    exit(2);
  }
  putenv(xstrdup(assignment));
}

size_t locals_mark(void) { return nsaved; }

/* At a function's return: every variable it made local gets its value back. */
void locals_restore(size_t mark) {
  while (nsaved > mark) {
    struct saved_var *v = &saved[--nsaved];
    if (v->value) setenv(v->name, v->value, 1);
    else unsetenv(v->name);
    set_exported(v->name, v->exported);
    free(v->name);
    free(v->value);
  }
}

static int b_local(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    const char *eq = strchr(argv[i], '=');
    size_t len = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
    char *name = xmalloc(len + 1);
    memcpy(name, argv[i], len);
    name[len] = 0;
    if (nsaved == capsaved) {
      capsaved = capsaved ? capsaved * 2 : 16;
      saved = realloc(saved, capsaved * sizeof *saved);
      if (!saved) die_oom();
    }
    const char *old = getenv(name);
    saved[nsaved++] = (struct saved_var){name, old ? xstrdup(old) : NULL, is_exported(name)};
    if (eq) assign_var(argv[i]);
    else
      unsetenv(name);
  }
  return 0;
}

static int b_readonly(int argc, char **argv) {
  if (argc == 1 || (argc == 2 && !strcmp(argv[1], "-p"))) {
    for (size_t i = 0; i < nreadonly; i++) {
      const char *v = getenv(readonly_names[i]);
      if (v) printf("readonly %s='%s'\n", readonly_names[i], v);
      else printf("readonly %s\n", readonly_names[i]);
    }
    return 0;
  }
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-p")) continue;
    if (strchr(argv[i], '=')) assign_var(argv[i]);
    const char *eq = strchr(argv[i], '=');
    size_t len = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
    if (is_readonly(argv[i], len)) continue;
    readonly_names = realloc(readonly_names, (nreadonly + 1) * sizeof *readonly_names);
    if (!readonly_names) die_oom();
    char *name = xmalloc(len + 1);
    memcpy(name, argv[i], len);
    name[len] = 0;
    readonly_names[nreadonly++] = name;
  }
  return 0;
}

/* let EXPR…: arithmetic; status 0 when the last is non-zero. */
static int b_let(int argc, char **argv) {
  long v = 0;
  if (argc < 2) {
    fputs("sh: let: expression expected\n", stderr);
    return 1;
  }
  for (int i = 1; i < argc; i++) v = arith(argv[i]);
  return v == 0;
}

builtin_fn find_scope_builtin(const char *name) {
  if (!strcmp(name, "local")) return b_local;
  if (!strcmp(name, "readonly")) return b_readonly;
  if (!strcmp(name, "let")) return b_let;
  return NULL;
}
