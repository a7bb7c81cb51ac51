/*
 * ps [-o COL[=HEADER],…]… [-T]: the processes of /proc. Default columns PID USER
 * COMMAND; -o takes busybox's columns (pid ppid pgid sid user group ruser rgroup comm
 * args time etime nice vsz rss stat tty). COMMAND is the command line, or [comm] for a
 * process that has none (a zombie).
 */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysapplets.h"
#include "toolbox.h"

#define HZ 100 /* /proc/PID/stat counts times in 1/100 s */

struct proc {
  int pid, ppid, pgid, sid, nice;
  char state;
  unsigned uid, gid;
  unsigned long long ticks, start, vsz, rss;
  char comm[64];
  char *args; /* command line, spaces between arguments; "" if none */
};

enum kind { PID, PPID, PGID, SID, USER, GROUP, COMM, ARGS, TIME, ETIME, NICE, VSZ, RSS, STAT, TTY };
static const struct {
  const char *name, *header;
  int width, left; /* left-aligned text, or right-aligned numbers */
} COLUMNS[] = {
    [PID] = {"pid", "PID", 5, 0},       [PPID] = {"ppid", "PPID", 5, 0},     [PGID] = {"pgid", "PGID", 5, 0},
    [SID] = {"sid", "SID", 5, 0},       [USER] = {"user", "USER", 8, 1},     [GROUP] = {"group", "GROUP", 8, 1},
    [COMM] = {"comm", "COMMAND", 16, 1}, [ARGS] = {"args", "COMMAND", 0, 1},  [TIME] = {"time", "TIME", 6, 0},
    [ETIME] = {"etime", "ELAPSED", 7, 0}, [NICE] = {"nice", "NI", 5, 0},      [VSZ] = {"vsz", "VSZ", 6, 0},
    [RSS] = {"rss", "RSS", 6, 0},       [STAT] = {"stat", "STAT", 4, 1},     [TTY] = {"tty", "TT", 6, 1},
};
#define NCOLUMNS (int)(sizeof COLUMNS / sizeof COLUMNS[0])

static struct {
  int kind;
  char header[64];
} cols[64];
static int ncols;

static int add_columns(const char *spec) {
  char *copy = tb_strdup(spec), *save;
  for (char *c = strtok_r(copy, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
    char *eq = strchr(c, '=');
    if (eq) *eq = 0;
    int k = 0;
    while (k < NCOLUMNS && strcmp(COLUMNS[k].name, c)) k++;
    if (k == NCOLUMNS || ncols == 64) {
      tb_error("bad -o argument '%s', supported arguments: "
               "user,group,comm,args,pid,ppid,pgid,etime,nice,rgroup,ruser,time,tty,vsz,sid,stat,rss",
               c);
      free(copy);
      return 0;
    }
    cols[ncols].kind = k;
    snprintf(cols[ncols].header, sizeof cols[ncols].header, "%s", eq ? eq + 1 : COLUMNS[k].header);
    ncols++;
    /* a header given with '=' takes the rest of the spec, commas included */
    if (eq) {
      char *rest = strtok_r(NULL, "", &save);
      if (rest) snprintf(cols[ncols - 1].header, sizeof cols[0].header, "%s,%s", eq + 1, rest);
      break;
    }
  }
  free(copy);
  return 1;
}

static int read_proc(int pid, struct proc *p) {
  char path[64], *text;
  memset(p, 0, sizeof *p);
  p->pid = pid;
  snprintf(path, sizeof path, "/proc/%d/stat", pid);
  if (!(text = read_whole(path, NULL))) return 0;
  /* pid (comm) state ppid pgrp session … utime(14) stime … nice(19) … starttime(22) vsize rss */
  char *lp = strchr(text, '('), *rp = strrchr(text, ')');
  if (!lp || !rp || rp < lp) {
    free(text);
    return 0;
  }
  /* at most 15 characters, as Linux's task comm (busybox cuts longer names from stat) */
  int clen = (int)(rp - lp - 1);
  snprintf(p->comm, sizeof p->comm, "%.*s", clen < 15 ? clen : 15, lp + 1);
  unsigned long long ut = 0, st = 0;
  long long nice = 0;
  sscanf(rp + 2, "%c %d %d %d %*d %*d %*u %*u %*u %*u %*u %llu %llu %*d %*d %*d %lld %*d %*d %llu %llu %llu",
         &p->state, &p->ppid, &p->pgid, &p->sid, &ut, &st, &nice, &p->start, &p->vsz, &p->rss);
  p->ticks = ut + st;
  p->nice = (int)nice;
  free(text);
  snprintf(path, sizeof path, "/proc/%d/status", pid);
  if ((text = read_whole(path, NULL))) {
    char *u = strstr(text, "\nUid:"), *g = strstr(text, "\nGid:");
    if (u) p->uid = (unsigned)strtoul(u + 5, NULL, 10);
    if (g) p->gid = (unsigned)strtoul(g + 5, NULL, 10);
    free(text);
  }
  snprintf(path, sizeof path, "/proc/%d/cmdline", pid);
  size_t len = 0;
  p->args = read_whole(path, &len);
  if (!p->args) p->args = tb_strdup("");
  while (len > 0 && p->args[len - 1] == 0) len--;
  for (size_t k = 0; k < len; k++)
    if (p->args[k] == 0 || p->args[k] == '\n') p->args[k] = ' ';
  p->args[len] = 0;
  return 1;
}

static double uptime(void) {
  char *u = read_whole("/proc/uptime", NULL);
  double v = u ? strtod(u, NULL) : 0;
  free(u);
  return v;
}

/* The text of column K for P. */
static void value(int k, const struct proc *p, double up, char *out, size_t n) {
  const char *name;
  unsigned long long secs;
  switch (k) {
  case PID: snprintf(out, n, "%d", p->pid); break;
  case PPID: snprintf(out, n, "%d", p->ppid); break;
  case PGID: snprintf(out, n, "%d", p->pgid); break;
  case SID: snprintf(out, n, "%d", p->sid); break;
  case NICE: snprintf(out, n, "%d", p->nice); break;
  case VSZ: snprintf(out, n, "%llu", p->vsz / 1024); break;
  case RSS: snprintf(out, n, "%llu", p->rss * 4); break;
  case STAT: snprintf(out, n, "%c", p->state); break;
  case TTY: snprintf(out, n, "?"); break;
  case USER:
    if ((name = ids_user_name(p->uid))) snprintf(out, n, "%s", name);
    else snprintf(out, n, "%u", p->uid);
    break;
  case GROUP:
    if ((name = ids_group_name(p->gid))) snprintf(out, n, "%s", name);
    else snprintf(out, n, "%u", p->gid);
    break;
  case COMM: snprintf(out, n, "%s", p->comm); break;
  case ARGS:
    if (p->args[0]) snprintf(out, n, "%s", p->args);
    else snprintf(out, n, "[%s]", p->comm);
    break;
  case TIME:
  case ETIME:
    secs = k == TIME ? p->ticks / HZ : (unsigned long long)(up > (double)p->start / HZ ? up - (double)p->start / HZ : 0);
    snprintf(out, n, "%llu:%02llu", secs / 60, secs % 60);
    break;
  }
}

static int by_pid(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

int applet_ps(int argc, char **argv) {
  int opt;
  while ((opt = getopt(argc, argv, "o:TAaefwlx")) != -1) {
    if (opt == '?') return usage_error("ps [-o COL1,COL2=HEADER] [-T]");
    if (opt == 'o' && !add_columns(optarg)) return 1;
  }
  int custom = ncols > 0;
  /* Debian's busybox (the reference here) shows no TIME column by default */
  if (!custom) add_columns("pid,user,args");
  DIR *d = opendir("/proc");
  if (!d) {
    tb_error("can't open '/proc': No such file or directory");
    return 1;
  }
  int *pids = NULL;
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    char *end;
    long pid = strtol(e->d_name, &end, 10);
    if (*end || pid <= 0) continue;
    pids = tb_realloc(pids, (n + 1) * sizeof *pids);
    pids[n++] = (int)pid;
  }
  closedir(d);
  qsort(pids, n, sizeof *pids, by_pid);
  double up = uptime();
  /* headers left-aligned to the column's width; the last column unpadded */
  for (int c = 0; c < ncols; c++) {
    int last = c == ncols - 1;
    if (c) putchar(' ');
    if (last) fputs(cols[c].header, stdout);
    else printf("%-*s", !custom && cols[c].kind == TIME ? 5 : COLUMNS[cols[c].kind].width, cols[c].header);
  }
  putchar('\n');
  for (size_t i = 0; i < n; i++) {
    struct proc p;
    if (!read_proc(pids[i], &p)) continue;
    for (int c = 0; c < ncols; c++) {
      int k = cols[c].kind, w = COLUMNS[k].width, last = c == ncols - 1;
      char text[4096];
      value(k, &p, up, text, sizeof text);
      if (c) putchar(' ');
      /* busybox's own layout: a user name cut at 8, times as M:SS under a 5-wide TIME */
      if (!custom && k == USER) printf("%-8.8s", text);
      else if (!custom && k == TIME) printf("%5s", text);
      else if (COLUMNS[k].left && !last) printf("%-*.*s", w, w, text);
      else if (COLUMNS[k].left) fputs(text, stdout);
      else printf("%*s", w, text);
    }
    putchar('\n');
    free(p.args);
  }
  free(pids);
  return 0;
}
