/* cat [-nbvteA] [FILE]… and tee [-ai] [FILE]…, as busybox's. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileops.h"
#include "fileops_usage.h"

struct cat {
  int number, nonblank, visible, tabs, ends;
  unsigned line;  /* the last number given */
  int mid_line;   /* the output is inside a line (visible mode numbers at line starts) */
};

/* -n/-b without -v: busybox numbers whole lines, ending the last with a newline. */
static int cat_numbered(struct cat *c, FILE *f) {
  int ch, at_start = 1;
  while ((ch = getc(f)) != EOF) {
    if (at_start && !(c->nonblank && ch == '\n')) printf("%6u\t", ++c->line);
    putchar(ch);
    at_start = ch == '\n';
  }
  if (!at_start) putchar('\n');
  return ferror(f);
}

/* -v, -t, -e: control characters as ^X, high bytes as M-X, numbers as "%6u  ". */
static int cat_visible(struct cat *c, FILE *f) {
  int ch;
  while ((ch = getc(f)) != EOF) {
    if (!c->mid_line && (c->number || c->nonblank) && !(c->nonblank && ch == '\n')) printf("%6u  ", ++c->line);
    c->mid_line = ch != '\n';
    if (ch == '\n') {
      if (c->ends) putchar('$');
      putchar('\n');
      continue;
    }
    if (ch >= 128) {
      fputs("M-", stdout);
      ch -= 128;
    }
    if (ch < 32 && !(ch == '\t' && !c->tabs)) printf("^%c", ch + 64);
    else if (ch == 127) fputs("^?", stdout);
    else putchar(ch);
  }
  return ferror(f);
}

static int cat_plain(int fd) {
  char buf[65536];
  ssize_t n;
  fflush(stdout);
  while ((n = read(fd, buf, sizeof buf)) > 0)
    for (ssize_t off = 0; off < n;) {
      ssize_t w = write(1, buf + off, (size_t)(n - off));
      if (w < 0) return 0; /* a closed pipe ends cat quietly */
      off += w;
    }
  return n < 0;
}

int applet_cat(int argc, char **argv) {
  struct fo_opts o;
  char **ops;
  int n = fo_getopt(argc, argv, "nbvteAu", USAGE_CAT, &o, &ops);
  if (n < 0) return 1;
  struct cat c = {0};
  c.number = o.seen['n'];
  c.nonblank = o.seen['b'];
  c.tabs = o.seen['t'] || o.seen['A'];
  c.ends = o.seen['e'] || o.seen['A'];
  c.visible = o.seen['v'] || c.tabs || c.ends;
  static char *stdin_only[] = {"-", NULL};
  if (n == 0) ops = stdin_only, n = 1;
  int status = 0;
  for (int i = 0; i < n; i++) {
    int fd = strcmp(ops[i], "-") ? open(ops[i], O_RDONLY) : 0;
    if (fd < 0) {
      tb_error("can't open '%s': %s", ops[i], strerror(errno));
      status = 1;
      continue;
    }
    int failed;
    if (c.visible || c.number || c.nonblank) {
      FILE *f = fd ? fdopen(fd, "r") : stdin;
      failed = c.visible ? cat_visible(&c, f) : cat_numbered(&c, f);
      if (fd) fclose(f);
      else clearerr(stdin);
    } else {
      failed = cat_plain(fd);
      if (fd) close(fd);
    }
    if (failed) {
      tb_error("read error: %s", strerror(errno));
      status = 1;
    }
  }
  return status;
}

int applet_tee(int argc, char **argv) {
  struct fo_opts o;
  char **ops;
  int n = fo_getopt(argc, argv, "ai", USAGE_TEE, &o, &ops);
  if (n < 0) return 1;
  if (o.seen['i']) sys_signal(SYS_SIGINT, SYS_SIG_IGN, NULL);
  int *fds = tb_malloc(sizeof(int) * (size_t)(n + 1)), nfd = 0, status = 0;
  fds[nfd++] = 1;
  for (int i = 0; i < n; i++) {
    if (!strcmp(ops[i], "-")) {
      fds[nfd++] = 1;
      continue;
    }
    int existed = access(ops[i], F_OK) == 0;
    int fd = open(ops[i], O_WRONLY | O_CREAT | (o.seen['a'] ? O_APPEND : O_TRUNC), 0666);
    if (fd < 0) {
      tb_error("%s: %s", ops[i], strerror(errno));
      status = 1;
      continue;
    }
    if (!existed) fo_created(ops[i], 0666);
    fds[nfd++] = fd;
  }
  char buf[65536];
  ssize_t r;
  while ((r = read(0, buf, sizeof buf)) > 0)
    for (int k = 0; k < nfd; k++) {
      if (fds[k] < 0) continue;
      for (ssize_t off = 0; off < r;) {
        ssize_t w = write(fds[k], buf + off, (size_t)(r - off));
        if (w < 0) {
          fds[k] = -1;
          status = 1;
          break;
        }
        off += w;
      }
    }
  for (int k = 1; k < nfd; k++)
    if (fds[k] > 1) close(fds[k]);
  return status;
}
