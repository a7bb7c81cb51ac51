/*
 * Job control for the interactive shell, as busybox ash does it: each pipeline runs in
 * its own process group (its first process leads it); a foreground one gets the
 * terminal (tcsetpgrp), so ^C signals it and not the shell, and the shell takes the
 * terminal back when it ends. Background jobs are listed by `jobs` and reported once
 * when done. Stopping jobs (^Z, fg, bg) is not emulated by berth's kernel.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/sys.h"
#include "../lib/tty.h"
#include "jobs.h"
#include "sh.h"

int job_control;
int job_interrupted;

static int shell_pgid;
static int fg_pgid; /* the foreground job being run, 0 if none */

#define MAX_JOBS 64
#define MAX_PROCS 16

struct job {
  int id; /* [N]; 0 = free slot */
  int pids[MAX_PROCS];
  int live[MAX_PROCS];
  int npids;
  int status; /* of the last process */
  char *text;
};
static struct job jobs[MAX_JOBS];
static int order[MAX_JOBS]; /* ids, oldest first: the last is "+", the one before "-" */
static int norder;

static void no_op(int sig) { (void)sig; }

void jobs_init(void) {
  job_control = 1;
  int pid = sys_getpid();
  /* lead a group of its own (fails harmlessly for a session leader, which already does) */
  tty_setpgid(0, 0);
  shell_pgid = tty_getpgid(0);
  if (shell_pgid <= 0) shell_pgid = pid;
  tty_setpgrp(0, shell_pgid);
  tty_spawn_group(0);
  /* ^C and ^\ are for the foreground job; the shell reads ^C itself at the prompt. Caught
   * with a handler that does nothing, not ignored: natively an ignored signal would stay
   * ignored in the programs the shell runs. */
  sys_signal(SYS_SIGINT, SYS_SIG_CATCH, no_op);
  sys_signal(SYS_SIGQUIT, SYS_SIG_CATCH, no_op);
  sys_signal(SYS_SIGTSTP, SYS_SIG_CATCH, no_op);
}

static int job_pgid;

void job_child(int pid, int first, int background) {
  if (!job_control || pid <= 0) return;
  if (first || job_pgid <= 0) {
    job_pgid = pid;
    tty_spawn_group(pid); /* the rest of the pipeline joins it */
  }
  tty_setpgid(pid, job_pgid);
  if (!background && job_pgid == pid) {
    fg_pgid = job_pgid;
    tty_setpgrp(0, fg_pgid);
  }
}

void job_foreground_done(int status) {
  if (!job_control) return;
  job_pgid = 0;
  tty_spawn_group(0);
  if (!fg_pgid) return;
  fg_pgid = 0;
  tty_setpgrp(0, shell_pgid);
  if (status == 128 + SYS_SIGINT) {
    /* as ash: a newline after the ^C the terminal echoed, and the rest of the line is dropped */
    fputs("\n", stderr);
    job_interrupted = 1;
    extern int break_levels, loop_depth;
    break_levels = loop_depth;
  }
}

/* The command as `jobs` shows it: its words, pipelines joined by " | ". */
static char *job_text(struct pipeline *pl) {
  size_t cap = 64, n = 0;
  char *s = xmalloc(cap);
  s[0] = 0;
  for (struct cmd *c = pl->cmds; c; c = c->next) {
    const char *parts[256];
    int np = 0;
    if (c != pl->cmds) parts[np++] = "|";
    if (c->kind == C_SIMPLE)
      for (int i = 0; i < c->nwords && np < 255; i++) parts[np++] = c->words[i];
    else if (c->text)
      parts[np++] = c->text;
    for (int i = 0; i < np; i++) {
      size_t k = strlen(parts[i]);
      if (n + k + 2 > cap) {
        cap = (n + k + 2) * 2;
        s = realloc(s, cap);
        if (!s) die_oom();
      }
      if (n) s[n++] = ' ';
      memcpy(s + n, parts[i], k + 1);
      n += k;
    }
  }
  return s;
}

void job_background(struct pipeline *pl, const int *pids, int n) {
  if (!job_control) return;
  job_pgid = 0;
  tty_spawn_group(0);
  struct job *j = NULL;
  for (int i = 0; i < MAX_JOBS && !j; i++)
    if (!jobs[i].id) j = &jobs[i];
  if (!j) return;
  int id = 1;
  for (int again = 1; again;) {
    again = 0;
    for (int i = 0; i < MAX_JOBS; i++)
      if (jobs[i].id == id) id++, again = 1;
  }
  memset(j, 0, sizeof *j);
  j->id = id;
  for (int i = 0; i < n && j->npids < MAX_PROCS; i++)
    if (pids[i] > 0) {
      j->pids[j->npids] = pids[i];
      j->live[j->npids++] = 1;
    }
  j->text = job_text(pl);
  order[norder++] = id;
}

static struct job *job_by_id(int id) {
  for (int i = 0; i < MAX_JOBS; i++)
    if (jobs[i].id == id) return &jobs[i];
  return NULL;
}

/* Reap what ended without waiting; a job is done when all its processes are. */
static int job_running(struct job *j) {
  int running = 0;
  for (int i = 0; i < j->npids; i++) {
    if (!j->live[i]) continue;
    int st = 0;
    int r = sys_waitpid(j->pids[i], &st, SYS_WNOHANG);
    if (r == 0) {
      running = 1;
      continue;
    }
    j->live[i] = 0;
    /* reaped elsewhere (the wait builtin): counted as done with status 0 */
    if (r > 0 && i == j->npids - 1) j->status = st;
  }
  return running;
}

static void state_text(const struct job *j, char *buf, size_t len) {
  int st = j->status;
  if (SYS_WIFSIGNALED(st)) {
    int sig = SYS_WTERMSIG(st);
    const char *name = sig == SYS_SIGKILL ? "Killed" : sig == SYS_SIGTERM ? "Terminated" : sig == SYS_SIGINT ? "Interrupt" : NULL;
    if (name) snprintf(buf, len, "%s", name);
    else snprintf(buf, len, "Signal %d", sig);
  } else if (SYS_WEXITSTATUS(st))
    snprintf(buf, len, "Done(%d)", SYS_WEXITSTATUS(st));
  else
    snprintf(buf, len, "Done");
}

static void forget(struct job *j) {
  int k = 0;
  for (int i = 0; i < norder; i++)
    if (order[i] != j->id) order[k++] = order[i];
  norder = k;
  free(j->text);
  memset(j, 0, sizeof *j);
}

/* "[N]+  State                      command": + the current job, - the one before. */
static void show(struct job *j, int running, FILE *f) {
  char state[32];
  if (running) snprintf(state, sizeof state, "Running");
  else state_text(j, state, sizeof state);
  char mark = norder > 0 && order[norder - 1] == j->id ? '+' : norder > 1 && order[norder - 2] == j->id ? '-' : ' ';
  fprintf(f, "[%d]%c  %-27s%s\n", j->id, mark, state, j->text);
}

void jobs_notify(void) {
  if (!job_control) return;
  for (int i = norder - 1; i >= 0; i--) {
    struct job *j = job_by_id(order[i]);
    if (!j || job_running(j)) continue;
    show(j, 0, stderr);
    forget(j);
  }
  fflush(stderr);
}

int jobs_builtin(int argc, char **argv) {
  (void)argc, (void)argv;
  int ids[MAX_JOBS], n = norder;
  memcpy(ids, order, sizeof ids);
  for (int i = n - 1; i >= 0; i--) {
    struct job *j = job_by_id(ids[i]);
    if (!j) continue;
    int running = job_running(j);
    show(j, running, stdout);
    if (!running) forget(j);
  }
  return 0;
}
