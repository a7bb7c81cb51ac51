/*
 * sys.h on berth's kernel: the process extension (berth.h) plus wasi-libc. Paths are
 * resolved against the working directory here and passed relative to fd 3, the root
 * preopen every berth process has.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../include/berth.h"
#include "sys.h"

static int fail(int err) {
  if (err == 0) return 0;
  errno = err;
  return -1;
}

/* PATH relative to the root preopen: "" for "/" becomes ".". */
static const char *from_root(const char *path, char *buf, size_t len) {
  if (path[0] != '/') {
    char cwd[1024];
    if (!getcwd(cwd, sizeof cwd)) strcpy(cwd, "/");
    snprintf(buf, len, "%s/%s", strcmp(cwd, "/") == 0 ? "" : cwd, path);
    path = buf;
  }
  while (*path == '/') path++;
  return *path ? path : ".";
}

static void copy_stat(const struct berth_stat *b, struct sys_stat *st) {
  st->dev = b->dev;
  st->ino = b->ino;
  st->mode = b->mode;
  st->nlink = b->nlink;
  st->uid = b->uid;
  st->gid = b->gid;
  st->rdev = b->rdev;
  st->size = b->size;
  st->blocks = b->blocks;
  st->blksize = b->blksize;
  st->atime_ns = b->atime_ns;
  st->mtime_ns = b->mtime_ns;
  st->ctime_ns = b->ctime_ns;
}

static int stat_at(const char *path, struct sys_stat *st, uint32_t flags) {
  char buf[2048];
  const char *rel = from_root(path, buf, sizeof buf);
  struct berth_stat b;
  int err = berth_fstatat(3, rel, strlen(rel), flags, &b);
  if (err == 0) copy_stat(&b, st);
  return fail(err);
}

int sys_stat(const char *path, struct sys_stat *st) { return stat_at(path, st, 0); }
int sys_lstat(const char *path, struct sys_stat *st) { return stat_at(path, st, BERTH_AT_SYMLINK_NOFOLLOW); }

int sys_fstat(int fd, struct sys_stat *st) {
  struct stat s;
  if (fstat(fd, &s) != 0) return -1;
  memset(st, 0, sizeof *st);
  st->dev = s.st_dev;
  st->ino = s.st_ino;
  st->mode = s.st_mode;
  st->nlink = (uint32_t)s.st_nlink;
  st->size = s.st_size;
  st->blksize = 4096;
  st->blocks = (s.st_size + 511) / 512;
  st->atime_ns = (int64_t)s.st_atim.tv_sec * 1000000000 + s.st_atim.tv_nsec;
  st->mtime_ns = (int64_t)s.st_mtim.tv_sec * 1000000000 + s.st_mtim.tv_nsec;
  st->ctime_ns = (int64_t)s.st_ctim.tv_sec * 1000000000 + s.st_ctim.tv_nsec;
  return 0;
}

int sys_chmod(const char *path, unsigned mode) {
  char buf[2048];
  const char *rel = from_root(path, buf, sizeof buf);
  return fail(berth_fchmodat(3, rel, strlen(rel), mode, 0));
}

int sys_chown(const char *path, int uid, int gid, int nofollow) {
  char buf[2048];
  const char *rel = from_root(path, buf, sizeof buf);
  return fail(berth_fchownat(3, rel, strlen(rel), uid, gid, nofollow ? BERTH_AT_SYMLINK_NOFOLLOW : 0));
}

unsigned sys_umask(unsigned mask) { return berth_umask(mask); }

int sys_chdir(const char *path) {
  if (chdir(path) != 0) return -1;
  char cwd[1024];
  if (getcwd(cwd, sizeof cwd)) berth_chdir(cwd, strlen(cwd));
  return 0;
}

int sys_getpid(void) { return berth_getpid(); }
int sys_getppid(void) { return berth_getppid(); }
int sys_getuid(void) { return berth_getuid(); }
int sys_geteuid(void) { return berth_geteuid(); }
int sys_getgid(void) { return berth_getgid(); }
int sys_getegid(void) { return berth_getegid(); }
int sys_setuid(unsigned uid) { return fail(berth_setuid(uid)); }
int sys_setgid(unsigned gid) { return fail(berth_setgid(gid)); }

/* NUL-separated strings, as spawn takes them. */
static char *join0(char *const *v, size_t *len) {
  size_t n = 0;
  for (char *const *p = v; p && *p; p++) n += strlen(*p) + 1;
  char *out = malloc(n + 1), *at = out;
  if (!out) return NULL;
  for (char *const *p = v; p && *p; p++) {
    size_t l = strlen(*p) + 1;
    memcpy(at, *p, l);
    at += l;
  }
  *len = n;
  return out;
}

int sys_spawn(const char *path, char *const argv[], char *const envp[], const int *fdmap, int pairs,
              unsigned clone_flags) {
  size_t alen = 0, elen = 0;
  char *args = join0(argv, &alen), *env = join0(envp, &elen);
  char cwd[1024];
  if (!getcwd(cwd, sizeof cwd)) strcpy(cwd, "/");
  uint32_t map[64];
  if (pairs > 32) pairs = 32;
  for (int i = 0; i < pairs * 2; i++) map[i] = (uint32_t)fdmap[i];
  uint32_t pid = 0;
  int err = !args || !env ? ENOMEM
                          : berth_spawn(path, strlen(path), args, alen, env, elen, cwd, strlen(cwd), map,
                                        (size_t)pairs, clone_flags, &pid);
  free(args);
  free(env);
  return err ? fail(err) : (int)pid;
}

int sys_waitpid(int pid, int *status, int options) {
  int32_t st = 0, got = 0;
  int err = berth_waitpid(pid, options & SYS_WNOHANG ? BERTH_WNOHANG : 0, &st, &got);
  if (err) return fail(err);
  if (status) *status = st;
  return got;
}

int sys_exec(const char *path, char *const argv[], char *const envp[]) {
  fflush(stdout);
  fflush(stderr);
  int pid = sys_spawn(path, argv, envp, NULL, 0, 0);
  if (pid < 0) return -1;
  /* The child stands in for this program: signals for us go to it, as after exec. */
  for (int s = 1; s < 32; s++)
    if (s != SYS_SIGKILL && s != SYS_SIGSTOP) berth_sigaction(s, BERTH_SIG_IGN);
  int st = 0;
  while (sys_waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  if (SYS_WIFSIGNALED(st)) {
    int sig = SYS_WTERMSIG(st);
    berth_sigaction(sig, BERTH_SIG_DFL);
    berth_kill(berth_getpid(), sig);
    _exit(128 + sig);
  }
  _exit(SYS_WEXITSTATUS(st));
}

int sys_kill(int pid, int sig) { return fail(berth_kill(pid, sig)); }

static void (*handlers[32])(int);

/* The kernel calls this export when a caught signal arrives (between syscalls). */
__attribute__((export_name("__berth_signal"))) void sys_signal_entry(int sig) {
  if (sig > 0 && sig < 32 && handlers[sig]) handlers[sig](sig);
}

int sys_signal(int sig, int disposition, void (*handler)(int)) {
  if (sig <= 0 || sig >= 32) return fail(EINVAL);
  handlers[sig] = disposition == SYS_SIG_CATCH ? handler : NULL;
  return fail(berth_sigaction(sig, disposition == SYS_SIG_CATCH ? BERTH_SIG_CATCH
                                   : disposition == SYS_SIG_IGN ? BERTH_SIG_IGN
                                                                : BERTH_SIG_DFL));
}

int sys_pipe(int fds[2]) {
  uint32_t r, w;
  int err = berth_fd_pipe(&r, &w);
  if (err) return fail(err);
  fds[0] = (int)r;
  fds[1] = (int)w;
  return 0;
}

int sys_dup(int fd) {
  uint32_t n;
  int err = berth_fd_dup((uint32_t)fd, &n);
  return err ? fail(err) : (int)n;
}

int sys_dup2(int from, int to) {
  int err = berth_dup2((uint32_t)from, (uint32_t)to);
  return err ? fail(err) : to;
}

int sys_uname(struct sys_utsname *u) { return fail(berth_uname((char *)u)); }
int sys_sethostname(const char *name, size_t len) { return fail(berth_sethostname(name, len)); }
int sys_setdomainname(const char *name, size_t len) { return fail(berth_setdomainname(name, len)); }
int sys_unshare(unsigned flags) { return fail(berth_unshare(flags)); }
int sys_setns(int pid, unsigned flags) { return fail(berth_setns(pid, flags)); }

/* mount paths are the caller's view: make relative ones absolute first. */
static const char *absolute(const char *path, char *buf, size_t len) {
  if (!path || path[0] == '/') return path;
  char cwd[1024];
  if (!getcwd(cwd, sizeof cwd)) strcpy(cwd, "/");
  snprintf(buf, len, "%s/%s", strcmp(cwd, "/") == 0 ? "" : cwd, path);
  return buf;
}

int sys_mount(const char *source, const char *target, const char *fstype, unsigned long flags, const char *data) {
  char sb[1024], tb[1024];
  const char *s = source ? absolute(source, sb, sizeof sb) : "";
  const char *t = absolute(target, tb, sizeof tb);
  /* a bind source is a path; other sources (tmpfs, proc, overlay) are names */
  if (!(flags & SYS_MS_BIND)) s = source ? source : "";
  if (!fstype) fstype = "";
  if (!data) data = "";
  return fail(berth_mount(s, strlen(s), t, strlen(t), fstype, strlen(fstype), (uint32_t)flags, data, strlen(data)));
}

int sys_umount(const char *target, int flags) {
  char tb[1024];
  const char *t = absolute(target, tb, sizeof tb);
  return fail(berth_umount(t, strlen(t), (uint32_t)flags));
}

int sys_pivot_root(const char *new_root, const char *put_old) {
  char nb[1024], ob[1024];
  const char *n = absolute(new_root, nb, sizeof nb), *o = absolute(put_old, ob, sizeof ob);
  char cwd[1024];
  int at_new_root = getcwd(cwd, sizeof cwd) && strcmp(cwd, n) == 0;
  int r = fail(berth_pivot_root(n, strlen(n), o, strlen(o)));
  /* as on Linux the working directory stays the same directory, now named "/" */
  if (r == 0 && at_new_root && chdir("/") != 0) return -1;
  return r;
}

int sys_chroot(const char *path) {
  char pb[1024];
  const char *p = absolute(path, pb, sizeof pb);
  return fail(berth_chroot(p, strlen(p)));
}

int sys_statfs(const char *path, struct sys_statfs *st) {
  char pb[1024];
  const char *p = absolute(path, pb, sizeof pb);
  struct berth_statfs b;
  int err = berth_statfs(p, strlen(p), &b);
  if (err) return fail(err);
  st->type = b.type;
  st->bsize = b.bsize;
  st->blocks = b.blocks;
  st->bfree = b.bfree;
  st->bavail = b.bavail;
  st->files = b.files;
  st->ffree = b.ffree;
  return 0;
}
