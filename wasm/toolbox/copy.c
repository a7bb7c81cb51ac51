/*
 * cp [-arRdPLHpfinlsTu] [-t DIR] and mv [-finT] [-t DIR], as busybox's: same messages, a
 * directory copied into itself stops at the copy ("recursion detected"), -p/-a keep
 * modes, owners and times (whole seconds, as busybox's utime) and symlinks.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fileops.h"
#include "fileops_usage.h"

#define ISTYPE(m, t) (((m) & 0170000) == (t))

struct cp {
  int recursive, links, follow_top, preserve, force, no_clobber, update, hard, soft, ask;
  /* the first directory this cp created: met again as a source, it is the copy itself */
  int made_dir;
  uint64_t made_dev, made_ino;
};

static int copy_data(int in, int out) {
  char buf[65536];
  ssize_t n;
  while ((n = read(in, buf, sizeof buf)) > 0)
    for (ssize_t off = 0; off < n;) {
      ssize_t w = write(out, buf + off, (size_t)(n - off));
      if (w < 0) {
        tb_error("write error: %s", strerror(errno));
        return 1;
      }
      off += w;
    }
  if (n < 0) {
    tb_error("read error: %s", strerror(errno));
    return 1;
  }
  return 0;
}

/* Owner, mode and times of ST on DST (cp -p); a symlink gets only its owner. */
static void preserve(const char *dst, const struct sys_stat *st) {
  int link = ISTYPE(st->mode, 0120000);
  sys_chown(dst, (int)st->uid, (int)st->gid, link);
  if (link) return;
  sys_chmod(dst, st->mode & 07777);
  struct timespec t[2] = {{(time_t)(st->atime_ns / 1000000000), 0}, {(time_t)(st->mtime_ns / 1000000000), 0}};
  utimensat(AT_FDCWD, dst, t, 0);
}

static int copy_file(struct cp *c, const char *src, const char *dst, const struct sys_stat *st, int exists) {
  int in = open(src, O_RDONLY);
  if (in < 0) {
    tb_error("can't open '%s': %s", src, strerror(errno));
    return 1;
  }
  int out = exists ? open(dst, O_WRONLY | O_TRUNC) : -1;
  if (out < 0 && exists && c->force && unlink(dst) == 0) exists = 0;
  if (!exists) out = open(dst, O_WRONLY | O_CREAT | O_EXCL, 0666);
  if (out < 0) {
    tb_error("can't create '%s': %s", dst, strerror(errno));
    close(in);
    return 1;
  }
  if (!exists) fo_created(dst, st->mode);
  int status = copy_data(in, out);
  close(in);
  close(out);
  if (c->preserve) preserve(dst, st);
  return status;
}

static int copy_link(struct cp *c, const char *src, const char *dst, const struct sys_stat *st, int exists) {
  char target[4096];
  ssize_t n = readlink(src, target, sizeof target - 1);
  if (n < 0) {
    tb_error("can't read link '%s': %s", src, strerror(errno));
    return 1;
  }
  target[n] = 0;
  if (exists) unlink(dst);
  if (symlink(target, dst)) {
    tb_error("can't create symlink '%s': %s", dst, strerror(errno));
    return 1;
  }
  if (c->preserve) preserve(dst, st);
  return 0;
}

static int copy_one(struct cp *c, const char *src, const char *dst, int top);

static int copy_dir(struct cp *c, const char *src, const char *dst, const struct sys_stat *st, const struct sys_stat *dt,
                    int exists) {
  if (!c->recursive) {
    tb_error("omitting directory '%s'", src);
    return 1;
  }
  if (c->made_dir && st->dev == c->made_dev && st->ino == c->made_ino) {
    tb_error("recursion detected, omitting directory '%s'", src);
    return 1;
  }
  if (exists && !ISTYPE(dt->mode, 0040000)) {
    tb_error("target '%s' is not a directory", dst);
    return 1;
  }
  if (!exists) {
    if (mkdir(dst, 0777)) {
      tb_error("can't create directory '%s': %s", dst, strerror(errno));
      return 1;
    }
    fo_created(dst, st->mode);
    struct sys_stat made;
    if (!c->made_dir && sys_stat(dst, &made) == 0)
      c->made_dir = 1, c->made_dev = made.dev, c->made_ino = made.ino;
  }
  size_t n;
  char **names = fo_list_dir(src, &n);
  if (!names) {
    tb_error("can't open '%s': %s", src, strerror(errno));
    return 1;
  }
  int status = 0;
  for (size_t i = 0; i < n; i++) {
    char *s = fo_join(src, names[i]), *d = fo_join(dst, names[i]);
    status |= copy_one(c, s, d, 0);
    free(s);
    free(d);
  }
  fo_free_list(names, n);
  if (c->preserve) preserve(dst, st);
  return status;
}

static int copy_one(struct cp *c, const char *src, const char *dst, int top) {
  struct sys_stat st, dt;
  int follow = !c->links || (top && c->follow_top);
  if ((follow ? sys_stat(src, &st) : sys_lstat(src, &st))) {
    tb_error("can't stat '%s': %s", src, strerror(errno));
    return 1;
  }
  int exists = sys_lstat(dst, &dt) == 0;
  if (!exists && errno != ENOENT) {
    tb_error("can't stat '%s': %s", dst, strerror(errno));
    return 1;
  }
  if (exists && st.dev == dt.dev && st.ino == dt.ino) {
    tb_error("'%s' and '%s' are the same file", src, dst);
    return 1;
  }
  if (ISTYPE(st.mode, 0040000)) return copy_dir(c, src, dst, &st, &dt, exists);
  if (exists && c->no_clobber) return 0;
  if (exists && c->ask && !fo_confirm("overwrite '%s'", dst)) return 0;
  if (exists && c->update && dt.mtime_ns >= st.mtime_ns) return 0;
  if (c->hard || c->soft) {
    if (exists && c->force) unlink(dst);
    if (c->hard ? link(src, dst) : symlink(src, dst)) {
      tb_error("can't create '%s': %s", dst, strerror(errno));
      return 1;
    }
    return 0;
  }
  if (ISTYPE(st.mode, 0120000)) return copy_link(c, src, dst, &st, exists);
  if (exists && ISTYPE(dt.mode, 0040000)) {
    tb_error("can't create '%s': %s", dst, strerror(EISDIR));
    return 1;
  }
  return copy_file(c, src, dst, &st, exists);
}

int fo_copy_all(const char *src, const char *dst) {
  struct cp c = {.recursive = 1, .links = 1, .preserve = 1, .force = 1};
  return copy_one(&c, src, dst, 1);
}

int applet_cp(int argc, char **argv) {
  struct fo_opts o;
  char **ops;
  int n = fo_getopt(argc, argv, "arRdPLHpfinlsTut:v", USAGE_CP, &o, &ops);
  if (n < 0) return 1;
  const char *dest = o.arg['t'];
  if (!dest) {
    if (n < 2) return fo_usage(USAGE_CP);
    dest = ops[--n];
  } else if (n < 1)
    return fo_usage(USAGE_CP);
  struct cp c = {0};
  c.recursive = o.seen['a'] || o.seen['r'] || o.seen['R'];
  c.links = (c.recursive || o.seen['d'] || o.seen['P'] || o.seen['a']) && !o.seen['L'];
  c.follow_top = o.seen['H'];
  c.preserve = o.seen['p'] || o.seen['a'];
  c.force = o.seen['f'];
  c.no_clobber = o.seen['n'];
  c.update = o.seen['u'];
  c.hard = o.seen['l'];
  c.soft = o.seen['s'];
  c.ask = o.seen['i'];
  struct sys_stat dst;
  int dest_exists = sys_stat(dest, &dst) == 0, dest_dir = dest_exists && ISTYPE(dst.mode, 0040000);
  int status = 0;
  for (int i = 0; i < n; i++) {
    if (fo_is_dir(ops[i])) fo_strip_slashes(ops[i]);
    int into = o.arg['t'] || n > 1;
    if (!into && !o.seen['T'] && dest_exists) {
      /* a directory source goes below any existing DEST, as busybox does */
      struct sys_stat st;
      into = dest_dir || (sys_stat(ops[i], &st) == 0 && ISTYPE(st.mode, 0040000) && c.recursive);
    }
    if (into) {
      char *base = fo_basename(ops[i]), *d = fo_join(dest, base);
      status |= copy_one(&c, ops[i], d, 1);
      free(base);
      free(d);
    } else if (o.seen['T'] && dest_dir && !fo_is_dir(ops[i])) {
      tb_error("'%s' is a directory", dest);
      status = 1;
    } else
      status |= copy_one(&c, ops[i], dest, 1);
  }
  return status;
}

int applet_mv(int argc, char **argv) {
  struct fo_opts o;
  char **ops;
  int n = fo_getopt(argc, argv, "fint:T", USAGE_MV, &o, &ops);
  if (n < 0) return 1;
  const char *dest = o.arg['t'];
  if (!dest) {
    if (n < 2) return fo_usage(USAGE_MV);
    dest = ops[--n];
  } else if (n < 1)
    return fo_usage(USAGE_MV);
  int into = o.arg['t'] || n > 1 || (!o.seen['T'] && fo_is_dir(dest));
  int status = 0;
  for (int i = 0; i < n; i++) {
    if (into) fo_strip_slashes(ops[i]);
    char *base = fo_basename(ops[i]);
    char *to = into ? fo_join(dest, base) : tb_strdup(dest);
    free(base);
    struct sys_stat dt;
    if (sys_lstat(to, &dt) == 0) {
      if (o.seen['n'] && !o.seen['f']) goto next;
      if (o.seen['i'] && !o.seen['f'] && !fo_confirm("overwrite '%s'", to)) goto next;
    } else if (errno != ENOENT) {
      tb_error("can't stat '%s': %s", to, errno == ENOTDIR ? "Path has non-directory component" : strerror(errno));
      status = 1;
      goto next;
    }
    if (rename(ops[i], to)) {
      if (errno != EXDEV) {
        tb_error("can't rename '%s': %s", ops[i], strerror(errno));
        status = 1;
      } else if (fo_copy_all(ops[i], to) || fo_remove(ops[i], 1, 1, 0))
        status = 1;
    }
  next:
    free(to);
  }
  return status;
}
