/*
 * The interactive shell: `sh` with a terminal on standard input (or `sh -i`). It shows a
 * prompt, reads a line with editing and history (lineedit.c), asks for more with PS2 while
 * the command is unfinished, runs it with job control (jobs.c), reports background jobs
 * that ended, and exits at ^D on an empty line (with the last command's status).
 *
 * Prompts: PS1 defaults to busybox's "\w \$ " (the working directory, then "#" for root,
 * "$" otherwise), PS2 to "> ". In them \w, \W, \u, \h, \$, \n and \\ are expanded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/sys.h"
#include "../lib/tty.h"
#include "interactive.h"
#include "jobs.h"
#include "lineedit.h"
#include "sh.h"

static void append(char **s, size_t *n, size_t *cap, const char *add) {
  size_t k = strlen(add);
  if (*n + k + 1 > *cap) {
    *cap = (*n + k + 1) * 2;
    *s = realloc(*s, *cap);
    if (!*s) die_oom();
  }
  memcpy(*s + *n, add, k + 1);
  *n += k;
}

/* The user name for \u, from /etc/passwd. */
static void user_name(char *buf, size_t len) {
  int uid = sys_getuid();
  snprintf(buf, len, "%d", uid);
  FILE *f = fopen("/etc/passwd", "r");
  if (!f) return;
  char line[512];
  while (fgets(line, sizeof line, f)) {
    char *name = strtok(line, ":");
    strtok(NULL, ":");
    char *id = strtok(NULL, ":");
    if (name && id && atoi(id) == uid) {
      snprintf(buf, len, "%s", name);
      break;
    }
  }
  fclose(f);
}

static char *prompt_text(const char *var, const char *fallback) {
  const char *ps = getenv(var);
  if (!ps) ps = fallback;
  size_t n = 0, cap = 64;
  char *s = xmalloc(cap);
  s[0] = 0;
  for (const char *p = ps; *p; p++) {
    char piece[1024] = {p[0], 0};
    if (p[0] == '\\' && p[1]) {
      p++;
      char cwd[1024];
      const char *home = getenv("HOME");
      switch (*p) {
      case 'w':
      case 'W':
        if (!getcwd(cwd, sizeof cwd)) strcpy(cwd, "?");
        if (*p == 'W') snprintf(piece, sizeof piece, "%s", strcmp(cwd, "/") && strrchr(cwd, '/') ? strrchr(cwd, '/') + 1 : cwd);
        else if (home && strcmp(home, "/") && !strncmp(cwd, home, strlen(home)) && (cwd[strlen(home)] == '/' || !cwd[strlen(home)]))
          snprintf(piece, sizeof piece, "~%s", cwd + strlen(home));
        else snprintf(piece, sizeof piece, "%s", cwd);
        break;
      case '$': snprintf(piece, sizeof piece, "%s", sys_geteuid() == 0 ? "#" : "$"); break;
      case 'u': user_name(piece, sizeof piece); break;
      case 'h': {
        struct sys_utsname u;
        if (sys_uname(&u) == 0) snprintf(piece, sizeof piece, "%.*s", (int)strcspn(u.nodename, "."), u.nodename);
        break;
      }
      case 'n': snprintf(piece, sizeof piece, "\n"); break;
      case '\\': snprintf(piece, sizeof piece, "\\"); break;
      default: snprintf(piece, sizeof piece, "\\%c", *p);
      }
    }
    append(&s, &n, &cap, piece);
  }
  return s;
}

/* A line without a terminal to edit on (`sh -i` reading a pipe): the prompt on stderr. */
static char *plain_read(const char *prompt) {
  fputs(prompt, stderr);
  fflush(stderr);
  size_t n = 0, cap = 128;
  char *s = xmalloc(cap);
  char c;
  ssize_t r;
  while ((r = read(0, &c, 1)) == 1 && c != '\n') {
    if (n + 2 > cap) {
      s = realloc(s, cap *= 2);
      if (!s) die_oom();
    }
    s[n++] = c;
  }
  s[n] = 0;
  if (r != 1 && n == 0) {
    free(s);
    return NULL;
  }
  return s;
}

/* Is SRC an unfinished command (an open quote, `if` without `fi`, a trailing `|`…)? */
static int unfinished(const char *src) {
  char *error = NULL, *lex_error = NULL;
  int count, at_end = 0;
  size_t error_at = 0;
  struct token *toks = lex(src, &count, &lex_error);
  if (lex_error || lex_heredoc_open) return 1; /* an open quote, or a here-document without its end */
  struct parser *p = parse_begin(src, toks, count);
  for (;;) {
    struct list *l = parse_next(p, &error, &error_at, &at_end);
    if (at_end) return 0;
    if (!l) return error && strstr(error, "end of file") != NULL;
  }
}

int interactive_main(void) {
  int terminal = tty_is_terminal(0);
  if (terminal) jobs_init();
  for (;;) {
    jobs_notify();
    job_interrupted = 0;
    char *prompt = prompt_text("PS1", "\\w \\$ ");
    char *src = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
      fflush(stdout);
      char *line = terminal ? lineedit_read(prompt) : plain_read(prompt);
      free(prompt);
      if (!line) {
        if (!src) {
          fflush(stdout);
          return last_status;
        }
        break; /* end of file inside a command: run what there is */
      }
      if (terminal && lineedit_interrupted) { /* ^C: drop the whole command */
        free(line);
        n = 0;
        break;
      }
      append(&src, &n, &cap, line);
      append(&src, &n, &cap, "\n");
      free(line);
      if (!unfinished(src)) break;
      prompt = prompt_text("PS2", "> ");
    }
    if (n > 1) {
      src[n - 1] = 0;
      history_add(src);
      src[n - 1] = '\n';
      run_source_text(src);
      extern int break_levels, continue_levels, returning;
      break_levels = continue_levels = returning = 0;
      fflush(stdout);
      fflush(stderr);
    }
    free(src);
  }
}
