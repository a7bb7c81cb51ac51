/*
 * The executor: and-or lists, pipelines (children connected by pipes), simple commands
 * (builtins in the shell, programs found on PATH and spawned with the process
 * extension), redirections and exit statuses as POSIX shells report them.
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/sys.h"
#include "jobs.h"
#include "sh.h"

int last_status;
/* Function calls nest this deep at most: about 1.3 KiB of the 1 MiB C stack each. */
#define MAX_FUNCTION_NESTING 500

int current_line;
int line_base;
/* break/continue: how many loop levels to leave or skip; return: leave the function. */
int break_levels, continue_levels, returning, loop_depth;
int last_bg_pid;    /* $! */
static int subst_status; /* of the last $( ) in the command being expanded */
int errexit;        /* set -e */
int xtrace;         /* set -x */
int errexit_off;    /* inside a condition, where set -e does not apply */

struct function {
  char *name;
  char *text; /* its definition's source, for child shells */
  struct list *body;
  struct function *next;
};
static struct function *functions;

extern char **script_args;
extern int script_argc;

static struct function *find_function(const char *name) {
  for (struct function *f = functions; f; f = f->next)
    if (!strcmp(f->name, name)) return f;
  return NULL;
}

int is_function(const char *name) { return find_function(name) != NULL; }

void function_texts(void (*each)(void *, const char *), void *arg) {
  for (struct function *f = functions; f; f = f->next)
    if (f->text) each(arg, f->text);
}
const char *shell_path = "/bin/sh";
extern char **environ;

static int wait_pid(int pid);

static int status_of(int32_t st) {
  return SYS_WIFEXITED(st) ? SYS_WEXITSTATUS(st) : 128 + SYS_WTERMSIG(st);
}

/* Is `name` a NAME=value assignment word? */
static int is_assignment(const char *w) {
  const char *eq = strchr(w, '=');
  if (!eq || eq == w) return 0;
  for (const char *p = w; p < eq; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' || (p > w && *p >= '0' && *p <= '9')))
      return 0;
  return 1;
}

int find_program_path(const char *name, char *out, size_t outlen) { return sys_find_program(name, out, outlen); }

/* Open a redirection's file; -1 with a message on failure. */
static int open_redir(struct redir *r, const char *target) {
  int flags = r->op == T_LT ? O_RDONLY : r->op == T_DGT ? O_WRONLY | O_CREAT | O_APPEND : O_WRONLY | O_CREAT | O_TRUNC;
  int fd = open(target, flags, 0666);
  /* ash's wording: a missing path is "no such file" to open, "nonexistent directory" to create */
  if (fd < 0)
    fprintf(stderr, "sh: can't %s %s: %s\n", r->op == T_LT ? "open" : "create", target,
            errno == ENOENT || errno == ENOTDIR ? (r->op == T_LT ? "no such file" : "nonexistent directory")
                                                 : strerror(errno));
  return fd;
}

/*
 * Spawn a program with fds 0, 1, 2 from `fds` (after the command's redirections) and
 * return its pid, or -1 (status set).
 */
static int spawn_program(char **argv, char **assigns, int nassign, int fds[10], int subshell) {
  char path[1024];
  /* a child shell is this shell's own program */
  int found = subshell ? (snprintf(path, sizeof path, "%s", shell_path), 0) : sys_find_program(argv[0], path, sizeof path);
  /* the shell's messages about the command go where the command's stderr goes */
  int err_fd = fds[2] >= 0 ? fds[2] : 2;
  if (found) {
    dprintf(err_fd, found == 127 ? "sh: %s: not found\n" : "sh: %s: Permission denied\n", argv[0]);
    last_status = found;
    return -1;
  }
  /* programs get the exported variables (and NAME=value given before the command);
   * child shells get everything, with the rest of the shell's state */
  char **env = subshell ? subshell_env() : exported_env(assigns, nassign);
  int map[20];
  int pairs = 0;
  for (int fd = 0; fd < 10; fd++)
    if (fds[fd] >= 0 && fd != 3 && fcntl(fds[fd], F_GETFL) >= 0) { /* closed fds stay closed (F_GETFD does not check in wasi-libc) */
      map[pairs * 2] = fd;
      map[pairs * 2 + 1] = fds[fd];
      pairs++;
    }
  int pid = sys_spawn(path, argv, env, map, pairs, 0);
  int err = pid < 0 ? errno : 0;
  free_env(env);
  if (err) {
    if (err == EAGAIN || err == ENOMEM) { /* as busybox words a failed fork (pids.max, memory), */
      dprintf(err_fd, "sh: can't fork: %s\n", strerror(err));
      if (!isatty(0)) exit(2); /* which ends a shell without a terminal */
    }
    else
      dprintf(err_fd, "sh: %s: %s\n", argv[0], err == ENOEXEC ? "cannot execute binary file" : strerror(err));
    last_status = err == ENOEXEC ? 126 : 127;
    return -1;
  }
  return pid;
}

/*
 * A here-document to read from: through a pipe when it fits the pipe's buffer, else
 * through a file in $TMPDIR (or /tmp), unlinked once open, as larger documents need.
 */
static int heredoc_fd(const char *doc) {
  size_t dl = strlen(doc);
  int pp[2];
  if (dl <= 65536 && sys_pipe(pp) == 0) {
    if (dl && write(pp[1], doc, dl) != (ssize_t)dl) {
      close(pp[0]);
      close(pp[1]);
      fprintf(stderr, "sh: can't write here-document: %s\n", strerror(errno));
      return -1;
    }
    close(pp[1]);
    return pp[0];
  }
  static int serial;
  const char *tmp = getenv("TMPDIR");
  char path[1024];
  snprintf(path, sizeof path, "%s/sh-heredoc-%d-%d", tmp && *tmp ? tmp : "/tmp", sys_getpid(), ++serial);
  int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_TRUNC, 0600);
  if (fd < 0) {
    fprintf(stderr, "sh: can't create here-document %s: %s\n", path, strerror(errno));
    return -1;
  }
  unlink(path);
  if (write(fd, doc, dl) != (ssize_t)dl || lseek(fd, 0, SEEK_SET) != 0) {
    fprintf(stderr, "sh: can't write here-document: %s\n", strerror(errno));
    close(fd);
    return -1;
  }
  return fd;
}

/* Apply the redirections of `c` to the fd table `fds`; 0 or 1 (failed). */
static int redirect(struct cmd *c, int fds[10], int opened[10]) {
  for (struct redir *r = c->redirs; r; r = r->next) {
    if (r->fd > 9) continue;
    if (r->op == T_DLESS) {
      char *doc = r->heredoc_quoted ? xstrdup(r->heredoc) : expand_heredoc(r->heredoc);
      int pr = heredoc_fd(doc);
      free(doc);
      if (pr < 0) return 1;
      fds[r->fd] = (int)pr;
      opened[r->fd] = (int)pr;
      continue;
    }
    char *target = expand_one(r->target);
    if (r->op == T_GTAND || r->op == T_LTAND) {
      if (!strcmp(target, "-")) fds[r->fd] = -1;
      else {
        int from = atoi(target);
        if (from < 0 || from > 9 || fds[from] < 0) {
          fprintf(stderr, "sh: %s: Bad file descriptor\n", target);
          return 1;
        }
        fds[r->fd] = fds[from];
      }
    } else {
      int fd = open_redir(r, target);
      if (fd < 0) return 1;
      fds[r->fd] = fd;
      opened[r->fd] = fd;
    }
    free(target);
  }
  return 0;
}

static void close_opened(int opened[10]) {
  for (int i = 0; i < 10; i++)
    if (opened[i] >= 0) close(opened[i]);
}

/* The shell's own fds 0–2 set to `fds` for a while; returns what to give `restore_fds`. */
static void swap_in_fds(const int fds[10], int saved[3]) {
  fflush(stdout);
  fflush(stderr);
  for (int fd = 0; fd < 3; fd++) {
    saved[fd] = -1;
    if (fds[fd] != fd) {
      saved[fd] = sys_dup(fd);
      if (fds[fd] >= 0) sys_dup2(fds[fd], fd);
    }
  }
}

static void restore_fds(const int saved[3]) {
  fflush(stdout);
  fflush(stderr);
  for (int fd = 0; fd < 3; fd++)
    if (saved[fd] >= 0) {
      sys_dup2(saved[fd], fd);
      close(saved[fd]);
    }
}

/* Run a builtin with its redirections applied to the shell's own fds for the call. */
static int run_builtin(builtin_fn fn, int argc, char **argv, int fds[10]) {
  int saved[3];
  swap_in_fds(fds, saved);
  int st = fn(argc, argv);
  restore_fds(saved);
  return st;
}

/* A command's fd table before its redirections: `in`, `out`, the shell's stderr. */
/* What the script's fds 3–9 refer to (set by `exec N>file`), as the shell's own fds:
 * on berth fd 3 is the root directory every process has, so the script's numbers are
 * mapped rather than used as they are. */
static int script_fds[10] = {0, 1, 2, -1, -1, -1, -1, -1, -1, -1};

static void initial_fds(int fds[10], int opened[10], int in, int out) {
  for (int i = 0; i < 10; i++) {
    fds[i] = script_fds[i];
    if (opened) opened[i] = -1;
  }
  fds[0] = in;
  fds[1] = out;
}

/* A simple command: returns a pid to wait for, or -1 when it already finished (status set). */
static int simple(struct cmd *c, int in, int out, int in_pipeline) {
  int fds[10], opened[10];
  current_line = c->line + line_base;
  initial_fds(fds, opened, in, out);
  int nassign = 0;
  subst_status = 0;
  while (nassign < c->nwords && is_assignment(c->words[nassign])) nassign++;
  char **assigns = xmalloc(((size_t)nassign + 1) * sizeof *assigns);
  for (int i = 0; i < nassign; i++) assigns[i] = expand_one(c->words[i]);
  int argc;
  char **argv = expand_words(c->words + nassign, c->nwords - nassign, &argc);
  if (redirect(c, fds, opened)) {
    close_opened(opened);
    last_status = 1;
    return -1;
  }
  if (xtrace) {
    /* set -x: the command as it will run, on stderr */
    fputs("+", stderr);
    for (int i = 0; i < nassign; i++) fprintf(stderr, " %s", assigns[i]);
    for (int i = 0; i < argc; i++) fprintf(stderr, " %s", argv[i]);
    fputs("\n", stderr);
  }
  if (argc == 0) {
    for (int i = 0; i < nassign; i++) assign_var(assigns[i]);
    close_opened(opened);
    /* assignments alone: the status of their last command substitution */
    last_status = subst_status;
    return -1;
  }
  if (!strcmp(argv[0], "exec") && !in_pipeline) {
    if (argc == 1) {
      /* exec with only redirections: they apply to the shell itself from now on */
      fflush(stdout);
      for (int fd = 0; fd < 3; fd++)
        if (fds[fd] != (fd == 0 ? in : fd == 1 ? out : 2) && fds[fd] >= 0) sys_dup2(fds[fd], fd);
      for (int fd = 3; fd < 10; fd++)
        if (fds[fd] != script_fds[fd]) {
          if (script_fds[fd] >= 0) close(script_fds[fd]);
          script_fds[fd] = fds[fd] >= 0 ? sys_dup(fds[fd]) : -1;
        }
      close_opened(opened);
      last_status = 0;
      return -1;
    }
    /* exec PROGRAM: no process image to replace here; run it and exit with its status */
    int pid = spawn_program(argv + 1, assigns, nassign, fds, 0);
    close_opened(opened);
    fflush(stdout);
    exit(pid < 0 ? last_status : wait_pid(pid));
  }
  struct function *func = find_function(argv[0]);
  if (func && !in_pipeline) {
    char **saved_args = script_args;
    int saved_argc = script_argc;
    script_args = argv + 1;
    script_argc = argc - 1;
    for (int i = 0; i < nassign; i++) assign_var(assigns[i]);
    int saved_fds[3];
    swap_in_fds(fds, saved_fds);
    /* each level takes C stack: stop cleanly well before the stack would run out */
    static int depth;
    if (++depth > MAX_FUNCTION_NESTING) {
      fprintf(stderr, "sh: %s: maximum function nesting level exceeded (%d)\n", argv[0], MAX_FUNCTION_NESTING);
      fflush(stdout);
      exit(2);
    }
    size_t locals = locals_mark();
    run_list(func->body);
    locals_restore(locals);
    depth--;
    restore_fds(saved_fds);
    returning = 0;
    script_args = saved_args;
    script_argc = saved_argc;
    close_opened(opened);
    return -1;
  }
  builtin_fn fn = find_builtin(argv[0]);
  int pid;
  if ((fn || func) && in_pipeline) {
    /* a builtin in a pipeline runs in a child shell, as in a forked subshell */
    char *sub[] = {(char *)"sh", (char *)"-c", c->text, NULL};
    pid = spawn_program(sub, NULL, 0, fds, 1);
  } else if (fn) {
    for (int i = 0; i < nassign; i++) assign_var(assigns[i]);
    last_status = run_builtin(fn, argc, argv, fds);
    pid = -1;
  } else
    pid = spawn_program(argv, assigns, nassign, fds, 0);
  close_opened(opened);
  return pid;
}

static int run_compound(struct cmd *c);

/* A compound command in the shell itself, its redirections applied around it. */
static int compound_here(struct cmd *c, int in, int out) {
  int fds[10], opened[10], saved[3];
  initial_fds(fds, opened, in, out);
  if (redirect(c, fds, opened)) {
    close_opened(opened);
    return 1;
  }
  swap_in_fds(fds, saved);
  int st = run_compound(c);
  restore_fds(saved);
  close_opened(opened);
  return st;
}

static int run_compound(struct cmd *c) {
  int st = 0;
  switch (c->kind) {
  case C_GROUP:
    return run_list(c->body);
  case C_SUBSHELL: {
    /* a child shell, as a fork would give: its changes stay in it */
    char *sub[] = {(char *)"sh", (char *)"-c", c->word, NULL};
    int fds[10];
    initial_fds(fds, NULL, 0, 1);
    int pid = spawn_program(sub, NULL, 0, fds, 1);
    return pid < 0 ? last_status : wait_pid(pid);
  }
  case C_IF:
    errexit_off++;
    run_list(c->cond);
    errexit_off--;
    if (last_status == 0) return run_list(c->body);
    return c->orelse ? run_list(c->orelse) : 0;
  case C_WHILE:
  case C_UNTIL:
    loop_depth++;
    for (;;) {
      errexit_off++;
      run_list(c->cond);
      errexit_off--;
      if (break_levels) break;
      if ((last_status == 0) != (c->kind == C_WHILE)) break;
      st = run_list(c->body);
      if (break_levels) break;
      if (continue_levels) {
        if (--continue_levels) break;
      }
      if (returning) break;
    }
    loop_depth--;
    if (break_levels) break_levels--;
    return st;
  case C_FOR: {
    int n;
    char **words;
    if (c->words) words = expand_words(c->words, c->nwords, &n);
    else
      words = script_args, n = script_argc;
    loop_depth++;
    for (int i = 0; i < n; i++) {
      setenv(c->var, words[i], 1);
      st = run_list(c->body);
      if (break_levels) break;
      if (continue_levels) {
        if (--continue_levels) break;
      }
      if (returning) break;
    }
    loop_depth--;
    if (break_levels) break_levels--;
    return st;
  }
  case C_CASE: {
    char *w = expand_one(c->word);
    for (struct case_item *it = c->items; it; it = it->next)
      for (int k = 0; k < it->npatterns; k++) {
        char *pat = expand_one(it->patterns[k]);
        int hit = match_pattern(pat, w);
        free(pat);
        if (hit) return it->body ? run_list(it->body) : 0;
      }
    return 0;
  }
  case C_FUNCDEF: {
    struct function *f = find_function(c->var);
    if (!f) {
      f = calloc(1, sizeof *f);
      if (!f) die_oom();
      f->name = c->var;
      f->next = functions;
      functions = f;
    }
    f->body = c->body;
    f->text = c->text;
    return 0;
  }
  default:
    return 0;
  }
}

static int wait_pid(int pid) {
  int st = 0;
  while (sys_waitpid(pid, &st, 0) < 0) {
    /* a trapped signal interrupted the wait for a foreground job: keep waiting */
    if (errno != EINTR) return 127;
  }
  return status_of(st);
}

/*
 * wait [PID]: for one background job, or all of them. A signal with a trap ends the wait
 * at once with 128 + its number, and its action runs right after (POSIX; ash and bash do
 * this), which is how an entrypoint's `trap … TERM; cmd & wait` hears `docker stop`.
 */
int wait_builtin(int argc, char **argv) {
  int pid = argc > 1 ? atoi(argv[1]) : -1;
  int st = 0;
  for (;;) {
    int r = sys_waitpid(pid, &st, 0);
    if (r > 0 && pid > 0) return status_of(st);
    if (r > 0) continue;
    if (errno != EINTR) return pid > 0 ? 127 : 0;
    int sig = pending_trap_signal();
    if (sig) return 128 + sig;
  }
}

static int pipeline(struct pipeline *pl, int background) {
  int in = 0, pids[64], n = 0;
  /* a background job of a shell without a terminal reads /dev/null, as in ash */
  if (background && !isatty(0)) {
    in = open("/dev/null", O_RDONLY);
    if (in < 0) {
      fprintf(stderr, "sh: can't open '/dev/null': %s\n", strerror(errno));
      return 2;
    }
  }
  for (struct cmd *c = pl->cmds; c; c = c->next) {
    int pp[2] = {0, 1};
    int last = c->next == NULL;
    if (!last && sys_pipe(pp)) {
      fprintf(stderr, "sh: can't create pipe\n");
      return 1;
    }
    int r = pp[0], w = pp[1];
    /* in a pipeline or in the background, builtins and compound commands need a child shell */
    int piped = pl->cmds->next != NULL || background;
    int pid;
    if (c->kind != C_SIMPLE && !piped) {
      last_status = compound_here(c, in, 1);
      pid = -1;
    } else if (c->kind != C_SIMPLE) {
      /* a compound command in a pipeline runs in a child shell */
      char *sub[] = {(char *)"sh", (char *)"-c", c->text, NULL};
      int fds[10];
      initial_fds(fds, NULL, in, last ? 1 : (int)w);
      pid = spawn_program(sub, NULL, 0, fds, 1);
    } else
      pid = simple(c, in, last ? 1 : (int)w, piped);
    if (in != 0) close(in);
    if (!last) close((int)w);
    in = last ? 0 : (int)r;
    if (n < 64) pids[n++] = pid;
    job_child(pid, c == pl->cmds, background); /* interactive: its process group */
  }
  int status = last_status;
  if (background) {
    if (pids[n - 1] > 0) last_bg_pid = pids[n - 1];
    job_background(pl, pids, n);
    return 0;
  }
  for (int i = 0; i < n; i++)
    if (pids[i] > 0) {
      int st = wait_pid(pids[i]);
      if (i == n - 1) status = st;
    }
  job_foreground_done(status);
  if (pids[n - 1] < 0) status = last_status;
  if (pl->bang) status = status ? 0 : 1;
  return status;
}

int run_list(struct list *l) {
  for (; l; l = l->next) {
    for (struct andor *a = l->andor; a; a = a->next) {
      if (job_interrupted) return last_status; /* ^C ended a foreground job */
      if (a->op == 1 && last_status != 0) continue;
      if (a->op == 2 && last_status == 0) continue;
      int guarded = a->next != NULL || a->pipe->bang; /* left of && / ||, or negated */
      if (guarded) errexit_off++;
      last_status = pipeline(a->pipe, l->background);
      if (guarded) errexit_off--;
      run_pending_traps();
      if (break_levels || continue_levels || returning) return last_status;
    }
    if (errexit && !errexit_off && last_status != 0) {
      fflush(stdout);
      exit(last_status);
    }
  }
  return last_status;
}

/* A program with the shell's own fds 0–2, waited for (the `command` builtin). */
int run_program_here(char **argv) {
  int fds[10];
  initial_fds(fds, NULL, 0, 1);
  fflush(stdout);
  int pid = spawn_program(argv, NULL, 0, fds, 0);
  return pid < 0 ? last_status : wait_pid(pid);
}

/* $(script): run it in a child shell, return its output without trailing newlines. */
char *command_output(const char *script) {
  int pp[2];
  if (sys_pipe(pp)) return xstrdup("");
  int r = pp[0], w = pp[1];
  char *sub[] = {(char *)"sh", (char *)"-c", (char *)script, NULL};
  int fds[10];
  initial_fds(fds, NULL, 0, (int)w);
  fflush(stdout);
  int pid = spawn_program(sub, NULL, 0, fds, 1);
  close((int)w);
  size_t cap = 256, n = 0;
  char *buf = xmalloc(cap);
  ssize_t got;
  while ((got = read((int)r, buf + n, cap - n - 1)) > 0) {
    n += (size_t)got;
    if (cap - n < 2) {
      cap *= 2;
      buf = realloc(buf, cap);
      if (!buf) die_oom();
    }
  }
  close((int)r);
  if (pid > 0) last_status = wait_pid(pid);
  subst_status = last_status;
  while (n > 0 && buf[n - 1] == '\n') n--;
  buf[n] = 0;
  return buf;
}

int match_pattern(const char *pattern, const char *s) { return fnmatch(pattern, s, 0) == 0; }
