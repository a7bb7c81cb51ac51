/*
 * Which shell variables are exported. Every variable lives in the C environment (so
 * getenv finds it); this set says which of them programs the shell runs receive, as
 * POSIX wants: those the shell was started with, and those named by `export`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"

extern char **environ;

static char **names;
static size_t count, cap;

static size_t name_len(const char *entry) {
  const char *eq = strchr(entry, '=');
  return eq ? (size_t)(eq - entry) : strlen(entry);
}

static long find(const char *name, size_t len) {
  for (size_t i = 0; i < count; i++)
    if (strlen(names[i]) == len && !strncmp(names[i], name, len)) return (long)i;
  return -1;
}

int is_exported(const char *name) { return find(name, strlen(name)) >= 0; }

void set_exported(const char *name, int on) {
  size_t len = name_len(name);
  long at = find(name, len);
  if (on && at < 0) {
    if (count == cap) {
      cap = cap ? cap * 2 : 32;
      names = realloc(names, cap * sizeof *names);
      if (!names) die_oom();
    }
    char *n = xmalloc(len + 1);
    memcpy(n, name, len);
    n[len] = 0;
    names[count++] = n;
  } else if (!on && at >= 0) {
    free(names[at]);
    names[at] = names[--count];
  }
}

void exports_init(void) {
  for (char **e = environ; *e; e++) set_exported(*e, 1);
}

/* The environment of a program: the exported variables, then NAME=value assignments
 * given before the command (which override). The array and its strings are the
 * caller's to free with free_env. */
char **exported_env(char **assigns, int nassign) {
  size_t n = 0;
  for (char **e = environ; *e; e++) n++;
  char **out = xmalloc((n + (size_t)nassign + 1) * sizeof *out);
  size_t k = 0;
  for (char **e = environ; *e; e++) {
    size_t len = name_len(*e);
    if (find(*e, len) < 0) continue;
    int overridden = 0;
    for (int i = 0; i < nassign; i++)
      if (name_len(assigns[i]) == len && !strncmp(assigns[i], *e, len)) overridden = 1;
    if (!overridden) out[k++] = xstrdup(*e);
  }
  for (int i = 0; i < nassign; i++) out[k++] = xstrdup(assigns[i]);
  out[k] = NULL;
  return out;
}

void free_env(char **env) {
  for (char **e = env; *e; e++) free(*e);
  free(env);
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* `export` with no operands: every exported variable by name, quoted to be read back. */
void print_exports(void) {
  char **env = exported_env(NULL, 0);
  size_t n = 0;
  while (env[n]) n++;
  qsort(env, n, sizeof *env, by_name);
  for (char **e = env; *e; e++) {
    size_t len = name_len(*e);
    printf("export %.*s", (int)len, *e);
    const char *v = strchr(*e, '=');
    if (v) {
      fputs("='", stdout);
      for (v++; *v; v++)
        if (*v == '\'') fputs("'\"'\"'", stdout);
        else putchar(*v);
      putchar('\'');
    }
    putchar('\n');
  }
  free_env(env);
}
