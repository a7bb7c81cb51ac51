/*
 * Child shells as fork(2) would make them. berth has no fork: a subshell — ( … ), $( … ),
 * a builtin, function or compound command in a pipeline or in the background — is this
 * shell's own program run with `-c TEXT` and the parent's state handed over in the
 * environment variable BERTH_SH_SUBSHELL: $$, $!, $?, set options, positional
 * parameters, $0, which variables are not exported, and the function definitions.
 * The child takes it out of its environment before anything runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/sys.h"
#include "sh.h"

#define STATE_VAR "BERTH_SH_SUBSHELL"

extern char **environ;
extern char **script_args;
extern int script_argc;
extern const char *script_name;
extern int last_bg_pid;

int shell_pid; /* $$: the top shell's pid, also in its subshells */

struct buf {
  char *s;
  size_t n, cap;
};

static void put(struct buf *b, const char *s, size_t len) {
  while (b->n + len + 1 > b->cap) {
    b->cap = b->cap ? b->cap * 2 : 256;
    b->s = realloc(b->s, b->cap);
    if (!b->s) die_oom();
  }
  memcpy(b->s + b->n, s, len);
  b->n += len;
  b->s[b->n] = 0;
}

/* One record: a tag letter, the value's length, ':', the value. */
static void record(struct buf *b, char tag, const char *value) {
  char head[32];
  int h = snprintf(head, sizeof head, "%c%zu:", tag, strlen(value));
  put(b, head, (size_t)h);
  put(b, value, strlen(value));
}

static void subshell_add_function(void *b, const char *text) { record(b, 'f', text); }

/* The environment for a child shell: every variable, plus the state record. */
char **subshell_env(void) {
  struct buf b = {0};
  char num[32];
  snprintf(num, sizeof num, "%d", shell_pid);
  record(&b, 'p', num);
  snprintf(num, sizeof num, "%d", last_bg_pid);
  record(&b, 'b', num);
  snprintf(num, sizeof num, "%d", last_status);
  record(&b, 's', num);
  record(&b, 'o', errexit ? (nounset ? (xtrace ? "eux" : "eu") : xtrace ? "ex" : "e")
                          : nounset ? (xtrace ? "ux" : "u") : xtrace ? "x" : "");
  record(&b, 'n', script_name);
  for (int i = 0; i < script_argc; i++) record(&b, 'a', script_args[i]);
  for (char **e = environ; *e; e++) {
    const char *eq = strchr(*e, '=');
    char name[256];
    size_t len = eq ? (size_t)(eq - *e) : strlen(*e);
    if (len >= sizeof name) continue;
    memcpy(name, *e, len);
    name[len] = 0;
    if (!is_exported(name)) record(&b, 'u', name);
  }
  function_texts(subshell_add_function, &b);
  size_t n = 0;
  for (char **e = environ; *e; e++) n++;
  char **env = xmalloc((n + 2) * sizeof *env);
  for (size_t i = 0; i < n; i++) env[i] = xstrdup(environ[i]);
  char *state = xmalloc(strlen(STATE_VAR) + b.n + 2);
  sprintf(state, "%s=%s", STATE_VAR, b.s ? b.s : "");
  env[n] = state;
  env[n + 1] = NULL;
  free(b.s);
  return env;
}


/* In a child shell: take the parent's state; 1 if there was one. */
int subshell_restore(void) {
  const char *s = getenv(STATE_VAR);
  if (!s) return 0;
  char *copy = xstrdup(s);
  unsetenv(STATE_VAR);
  char **args = NULL;
  int nargs = 0;
  char *p = copy;
  while (*p) {
    char tag = *p++;
    char *colon;
    size_t len = strtoul(p, &colon, 10);
    if (*colon != ':') break;
    char *value = colon + 1;
    char saved = value[len];
    value[len] = 0;
    switch (tag) {
    case 'p': shell_pid = atoi(value); break;
    case 'b': last_bg_pid = atoi(value); break;
    case 's': last_status = atoi(value); break;
    case 'o':
      errexit = strchr(value, 'e') != NULL;
      nounset = strchr(value, 'u') != NULL;
      xtrace = strchr(value, 'x') != NULL;
      break;
    case 'n': script_name = xstrdup(value); break;
    case 'a':
      args = realloc(args, (size_t)(nargs + 2) * sizeof *args);
      if (!args) die_oom();
      args[nargs++] = xstrdup(value);
      args[nargs] = NULL;
      break;
    case 'u': set_exported(value, 0); break;
    case 'f': run_source_text(value); break;
    }
    value[len] = saved;
    p = value + len;
  }
  script_args = args ? args : xmalloc(sizeof *args);
  if (!args) script_args[0] = NULL;
  script_argc = nargs;
  free(copy);
  return 1;
}
