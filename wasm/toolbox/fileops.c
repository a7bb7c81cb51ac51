/*
 * What the file applets share (options as busybox takes them, its usage texts, paths), and
 * mkdir, rmdir, ln. Messages and exit codes as busybox's.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileops.h"
#include "fileops_usage.h"

int fo_usage(const char *usage) {
  fflush(stdout);
  fputs("BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n\n", stderr);
  fputs(usage, stderr);
  return 1;
}

int fo_getopt(int argc, char **argv, const char *spec, const char *usage, struct fo_opts *o, char ***operands) {
  memset(o, 0, sizeof *o);
  char **ops = tb_malloc(sizeof(char *) * (size_t)(argc + 1));
  int n = 0, i = 1, posix = spec[0] == '+';
  for (; i < argc; i++) {
    char *a = argv[i];
    if (posix && n) break;
    if (!strcmp(a, "--")) {
      i++;
      break;
    }
    if (a[0] != '-' || !a[1]) {
      ops[n++] = a;
      continue;
    }
    for (char *p = a + 1; *p; p++) {
      const char *s = (unsigned char)*p < 128 && *p != ':' ? strchr(spec, *p) : NULL;
      if (!s) {
        tb_error("invalid option -- '%c'", *p);
        return -fo_usage(usage);
      }
      o->seen[(unsigned char)*p]++;
      if (s[1] != ':') continue;
      if (p[1]) o->arg[(unsigned char)*p] = p + 1;
      else if (i + 1 < argc) o->arg[(unsigned char)*p] = argv[++i];
      else {
        tb_error("option requires an argument -- '%c'", *p);
        return -fo_usage(usage);
      }
      break;
    }
  }
  while (i < argc) ops[n++] = argv[i++];
  ops[n] = NULL;
  *operands = ops;
  return n;
}

int fo_confirm(const char *fmt, ...) {
  fflush(stdout);
  fprintf(stderr, "%s: ", applet_name);
  va_list ap;
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputs("? ", stderr);
  /* byte by byte, so that later prompts find the rest of stdin unread */
  char c, first = 0;
  for (int k = 0; read(0, &c, 1) == 1 && c != '\n'; k++)
    if (!k) first = c;
  return first == 'y' || first == 'Y';
}

char *fo_join(const char *dir, const char *name) {
  size_t dl = strlen(dir);
  char *p = tb_malloc(dl + strlen(name) + 2);
  strcpy(p, dir);
  if (dl && dir[dl - 1] != '/') p[dl++] = '/';
  strcpy(p + dl, name);
  return p;
}

char *fo_basename(const char *path) {
  char *s = tb_strdup(path);
  size_t n = strlen(s);
  while (n > 1 && s[n - 1] == '/') s[--n] = 0;
  char *slash = strrchr(s, '/');
  if (slash && slash[1]) memmove(s, slash + 1, strlen(slash));
  return s;
}

void fo_strip_slashes(char *path) {
  size_t n = strlen(path);
  while (n > 1 && path[n - 1] == '/') path[--n] = 0;
}

int fo_is_dir(const char *path) {
  struct sys_stat st;
  return sys_stat(path, &st) == 0 && (st.mode & 0170000) == 0040000;
}

unsigned fo_umask(void) {
  unsigned m = sys_umask(0);
  sys_umask(m);
  return m;
}

void fo_created(const char *path, unsigned mode) { sys_chmod(path, mode & ~fo_umask() & 07777); }

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

char **fo_list_dir(const char *path, size_t *count) {
  DIR *d = opendir(path);
  if (!d) return NULL;
  char **names = NULL;
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    names = tb_realloc(names, (n + 1) * sizeof *names);
    names[n++] = tb_strdup(e->d_name);
  }
  closedir(d);
  if (n) qsort(names, n, sizeof *names, by_name);
  *count = n;
  return names ? names : tb_malloc(1);
}

void fo_free_list(char **names, size_t count) {
  for (size_t i = 0; i < count; i++) free(names[i]);
  free(names);
}

/* mkdir -p: each missing component, the last with MODE; busybox names the prefix that
 * failed (with its slash when a file stands where a directory should). */
static int make_parents(const char *path, unsigned mode, int explicit_mode) {
  char *p = tb_strdup(path);
  size_t end = strlen(p), i = 0;
  while (end > 1 && p[end - 1] == '/') end--;
  if (!*p) {
    errno = ENOENT;
    tb_error("can't create directory '%s': %s", p, strerror(errno));
    free(p);
    return 1;
  }
  while (i < end) {
    while (i < end && p[i] == '/') i++;
    while (i < end && p[i] != '/') i++;
    char saved = p[i];
    p[i] = 0;
    int last = i >= end;
    int made = mkdir(p, 0777) == 0, err = errno;
    if (made) {
      if (last) sys_chmod(p, explicit_mode ? mode : mode & ~fo_umask());
      else fo_created(p, 0777);
    } else if (err != EEXIST || !fo_is_dir(p)) {
      errno = err;
      if (err == EEXIST && !last) {
        errno = ENOTDIR;
        p[i] = saved;
        p[i + 1] = 0;
      }
      tb_error("can't create directory '%s': %s", p, strerror(errno));
      free(p);
      return 1;
    }
    p[i] = saved;
  }
  free(p);
  return 0;
}

int applet_mkdir(int argc, char **argv) {
  struct fo_opts o;
  char **ops;
  int n = fo_getopt(argc, argv, "pm:v", USAGE_MKDIR, &o, &ops);
  if (n < 0) return 1;
  if (n == 0) return fo_usage(USAGE_MKDIR);
  unsigned mode = 0777;
  if (o.arg['m'] && fo_parse_mode(o.arg['m'], 0777, 1, &mode)) {
    tb_error("invalid mode '%s'", o.arg['m']);
    return 1;
  }
  int status = 0;
  for (int i = 0; i < n; i++) {
    if (o.seen['p']) {
      status |= make_parents(ops[i], mode, o.arg['m'] != NULL);
      continue;
    }
    if (mkdir(ops[i], 0777)) {
      tb_error("can't create directory '%s': %s", ops[i], strerror(errno));
      status = 1;
    } else
      sys_chmod(ops[i], o.arg['m'] ? mode : mode & ~fo_umask());
  }
  return status;
}

int applet_rmdir(int argc, char **argv) {
  /* --ignore-fail-on-non-empty is busybox's only long option here */
  int ignore = 0;
  for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
    if (!strcmp(argv[i], "--ignore-fail-on-non-empty")) {
      ignore = 1;
      memmove(argv + i, argv + i + 1, sizeof *argv * (size_t)(argc - i));
      argc--, i--;
    }
  struct fo_opts o;
  char **ops;
  int n = fo_getopt(argc, argv, "pv", USAGE_RMDIR, &o, &ops);
  if (n < 0) return 1;
  if (n == 0) return fo_usage(USAGE_RMDIR);
  int status = 0;
  for (int i = 0; i < n; i++) {
    char *p = tb_strdup(ops[i]);
    for (;;) {
      size_t len = strlen(p);
      while (len > 1 && p[len - 1] == '/') p[--len] = 0;
      if (rmdir(p)) {
        if (!(ignore && (errno == ENOTEMPTY || errno == EEXIST))) {
          tb_error("'%s': %s", p, strerror(errno));
          status = 1;
        }
        break;
      }
      if (!o.seen['p']) break;
      char *slash = strrchr(p, '/');
      if (!slash) break;
      while (slash > p && slash[-1] == '/') slash--;
      if (slash == p) break;
      *slash = 0;
    }
    free(p);
  }
  return status;
}

/* ln: TARGET for the link to SRC at DEST (a directory gets SRC's last component). */
static int link_one(const char *src, const char *dest, const struct fo_opts *o, int into_dir) {
  char *base = fo_basename(src);
  char *at = !dest ? tb_strdup(base) : into_dir ? fo_join(dest, base) : tb_strdup(dest);
  free(base);
  int status = 0;
  struct sys_stat st;
  if (!o->seen['s'] && sys_stat(src, &st)) {
    tb_error("%s: %s", src, strerror(errno));
    status = 1;
  } else {
    if (o->seen['f']) unlink(at);
    if (o->seen['s'] ? symlink(src, at) : link(src, at)) {
      tb_error("%s: %s", at, strerror(errno));
      status = 1;
    }
  }
  free(at);
  return status;
}

int applet_ln(int argc, char **argv) {
  struct fo_opts o;
  char **ops;
  int n = fo_getopt(argc, argv, "sfnbS:vT", USAGE_LN, &o, &ops);
  if (n < 0) return 1;
  if (n == 0) return fo_usage(USAGE_LN);
  if (n == 1) return link_one(ops[0], NULL, &o, 1);
  const char *dest = ops[n - 1];
  struct sys_stat st;
  int into_dir = !o.seen['T'] && ((o.seen['n'] ? sys_lstat(dest, &st) : sys_stat(dest, &st)) == 0) &&
                 (st.mode & 0170000) == 0040000;
  if (o.seen['T'] && fo_is_dir(dest)) {
    tb_error("'%s' is a directory", dest);
    return 1;
  }
  if (n > 2 && !into_dir) {
    tb_error("%s: %s", dest, strerror(EEXIST)); /* busybox's words */
    return 1;
  }
  int status = 0;
  for (int i = 0; i < n - 1; i++) status |= link_one(ops[i], dest, &o, into_dir);
  return status;
}
