/*
 * sys.h natively on Linux, over glibc (wasm/build-native.sh links it instead of
 * sys_wasi.c). The calls keep berth's semantics where Linux's differ:
 * - sys_spawn gives the child exactly the mapped fds (or 0-2), like berth's spawn, and
 *   reports a failed exec as its own -1/errno through a close-on-exec pipe.
 * - Its namespace flags are clone(2)'s: the child itself is in them — with
 *   CLONE_NEWPID it is pid 1 of the new namespace, as berth's first child after
 *   unshare(CLONE_NEWPID) is. A new user namespace maps the caller's ids to root
 *   inside, as berth's (and `unshare -r`) do.
 * - sys_exec passes only fds 0-2 on, as berth's spawn-and-wait exec does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sys.h"

static void copy_stat(const struct stat *s, struct sys_stat *st) {
  st->dev = s->st_dev;
  st->ino = s->st_ino;
  st->mode = s->st_mode;
  st->nlink = (uint32_t)s->st_nlink;
  st->uid = s->st_uid;
  st->gid = s->st_gid;
  st->rdev = s->st_rdev;
  st->size = s->st_size;
  st->blocks = s->st_blocks;
  st->blksize = (uint32_t)s->st_blksize;
  st->atime_ns = (int64_t)s->st_atim.tv_sec * 1000000000 + s->st_atim.tv_nsec;
  st->mtime_ns = (int64_t)s->st_mtim.tv_sec * 1000000000 + s->st_mtim.tv_nsec;
  st->ctime_ns = (int64_t)s->st_ctim.tv_sec * 1000000000 + s->st_ctim.tv_nsec;
}

int sys_stat(const char *path, struct sys_stat *st) {
  struct stat s;
  if (stat(path, &s) != 0) return -1;
  copy_stat(&s, st);
  return 0;
}

int sys_lstat(const char *path, struct sys_stat *st) {
  struct stat s;
  if (lstat(path, &s) != 0) return -1;
  copy_stat(&s, st);
  return 0;
}

int sys_fstat(int fd, struct sys_stat *st) {
  struct stat s;
  if (fstat(fd, &s) != 0) return -1;
  copy_stat(&s, st);
  return 0;
}

int sys_chmod(const char *path, unsigned mode) { return chmod(path, mode); }

int sys_chown(const char *path, int uid, int gid, int nofollow) {
  return (nofollow ? lchown : chown)(path, (uid_t)uid, (gid_t)gid);
}

unsigned sys_umask(unsigned mask) { return umask(mask); }
int sys_chdir(const char *path) { return chdir(path); }

int sys_getpid(void) { return getpid(); }
int sys_getppid(void) { return getppid(); }
int sys_getuid(void) { return (int)getuid(); }
int sys_geteuid(void) { return (int)geteuid(); }
int sys_getgid(void) { return (int)getgid(); }
int sys_getegid(void) { return (int)getegid(); }
int sys_setuid(unsigned uid) { return setuid(uid); }
int sys_setgid(unsigned gid) { return setgid(gid); }

/* Mark every fd from FIRST on close-on-exec (close_range(2), else one by one). */
static void cloexec_from(int first) {
#ifdef SYS_close_range
  if (syscall(SYS_close_range, (unsigned)first, ~0U, 4 /* CLOSE_RANGE_CLOEXEC */) == 0) return;
#endif
  long max = sysconf(_SC_OPEN_MAX);
  if (max < 0 || max > 65536) max = 65536;
  for (int fd = first; fd < max; fd++) fcntl(fd, F_SETFD, FD_CLOEXEC);
}

/* The lines that map the parent's uid and gid to root, made before clone. */
static char uid_line[32], gid_line[32];

static int write_file(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = write(fd, text, strlen(text));
  close(fd);
  return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* In a child just made with a new user namespace: the parent's ids are root inside. */
static int map_ids_to_root(void) {
  write_file("/proc/self/setgroups", "deny"); /* needed before gid_map; absent before Linux 3.19 */
  return write_file("/proc/self/uid_map", uid_line) || write_file("/proc/self/gid_map", gid_line) ? -1 : 0;
}

/*
 * The child's side of sys_spawn, between fork/clone and execve (only async-signal-safe
 * calls). Sources are first copied above every target so that a map like 0<-1, 1<-0
 * cannot overwrite one it still needs; then fds 0..HI-1 are emptied, the targets filled
 * and everything else is closed by exec.
 */
static void spawn_child(const char *path, char *const argv[], char *const envp[], const int *map, int pairs,
                        int errpipe, unsigned clone_flags) {
  int hi = 3, tmp[64];
  for (int i = 0; i < pairs; i++)
    if (map[i * 2] >= hi) hi = map[i * 2] + 1;
  int errfd = fcntl(errpipe, F_DUPFD_CLOEXEC, hi);
  for (int i = 0; i < pairs; i++) tmp[i] = fcntl(map[i * 2 + 1], F_DUPFD_CLOEXEC, hi);
  for (int fd = 0; fd < hi; fd++) close(fd);
  for (int i = 0; i < pairs; i++)
    if (tmp[i] >= 0) dup2(tmp[i], map[i * 2]);
  cloexec_from(hi);
  int err = 0;
  if ((clone_flags & SYS_CLONE_NEWUSER) && map_ids_to_root() != 0) err = errno;
  if (!err) {
    /* signals this program caught go back to their defaults; ignored ones stay ignored */
    execve(path, argv, envp);
    err = errno;
  }
  if (write(errfd, &err, sizeof err) < 0) {
  }
  _exit(127);
}

int sys_spawn(const char *path, char *const argv[], char *const envp[], const int *fdmap, int pairs,
              unsigned clone_flags) {
  static const int stdio[] = {0, 0, 1, 1, 2, 2};
  if (pairs <= 0) fdmap = stdio, pairs = 3;
  if (pairs > 64) {
    errno = EINVAL;
    return -1;
  }
  int ep[2];
  if (pipe2(ep, O_CLOEXEC) != 0) return -1;
  snprintf(uid_line, sizeof uid_line, "0 %u 1\n", (unsigned)getuid());
  snprintf(gid_line, sizeof gid_line, "0 %u 1\n", (unsigned)getgid());
  fflush(stdout);
  fflush(stderr);
  /* fork when no namespace is asked for; clone(2) with the flags otherwise, so that the
   * child itself is in them (pid 1 of a new pid namespace). Stack 0: the child runs on a
   * copy of this one, as after fork. */
  pid_t pid = clone_flags ? (pid_t)syscall(SYS_clone, (unsigned long)clone_flags | SIGCHLD, 0, 0, 0, 0) : fork();
  if (pid == 0) spawn_child(path, argv, envp, fdmap, pairs, ep[1], clone_flags);
  int saved = errno;
  close(ep[1]);
  if (pid < 0) {
    close(ep[0]);
    errno = saved;
    return -1;
  }
  int err = 0;
  ssize_t n;
  while ((n = read(ep[0], &err, sizeof err)) < 0 && errno == EINTR) {
  }
  close(ep[0]);
  if (n == (ssize_t)sizeof err) {
    /* the exec failed: reap the child, which never ran, and fail as berth's spawn does */
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
    }
    errno = err;
    return -1;
  }
  return pid;
}

int sys_waitpid(int pid, int *status, int options) {
  return waitpid(pid, status, options & SYS_WNOHANG ? WNOHANG : 0);
}

int sys_exec(const char *path, char *const argv[], char *const envp[]) {
  fflush(stdout);
  fflush(stderr);
  cloexec_from(3);
  return execve(path, argv, envp);
}

int sys_kill(int pid, int sig) { return kill(pid, sig); }

int sys_signal(int sig, int disposition, void (*handler)(int)) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sigemptyset(&sa.sa_mask);
  /* no SA_RESTART: a caught signal interrupts waitpid with EINTR, as on berth */
  sa.sa_handler = disposition == SYS_SIG_CATCH ? handler : disposition == SYS_SIG_IGN ? SIG_IGN : SIG_DFL;
  return sigaction(sig, &sa, NULL);
}

int sys_pipe(int fds[2]) { return pipe(fds); }
int sys_dup(int fd) { return dup(fd); }
int sys_dup2(int from, int to) { return dup2(from, to); }

int sys_uname(struct sys_utsname *u) {
  struct utsname n;
  if (uname(&n) != 0) return -1;
  memset(u, 0, sizeof *u);
  snprintf(u->sysname, sizeof u->sysname, "%s", n.sysname);
  snprintf(u->nodename, sizeof u->nodename, "%s", n.nodename);
  snprintf(u->release, sizeof u->release, "%s", n.release);
  snprintf(u->version, sizeof u->version, "%s", n.version);
  snprintf(u->machine, sizeof u->machine, "%s", n.machine);
  snprintf(u->domainname, sizeof u->domainname, "%s", n.domainname);
  return 0;
}

int sys_sethostname(const char *name, size_t len) { return sethostname(name, len); }
int sys_setdomainname(const char *name, size_t len) { return setdomainname(name, len); }
int sys_unshare(unsigned flags) { return unshare((int)flags); }

/*
 * Enter PID's namespaces named by FLAGS (0: all of them that differ from ours), as
 * nsenter does: every /proc/PID/ns file is opened before the first setns (entering a
 * mount namespace changes what /proc shows), then joined user first.
 */
int sys_setns(int pid, unsigned flags) {
  static const struct {
    unsigned flag;
    const char *name;
  } kinds[] = {{SYS_CLONE_NEWUSER, "user"}, {SYS_CLONE_NEWCGROUP, "cgroup"}, {SYS_CLONE_NEWIPC, "ipc"},
               {SYS_CLONE_NEWUTS, "uts"},   {SYS_CLONE_NEWNET, "net"},       {SYS_CLONE_NEWPID, "pid"},
               {SYS_CLONE_NEWNS, "mnt"}};
  enum { N = sizeof kinds / sizeof kinds[0] };
  int fds[N], err = 0;
  for (int i = 0; i < N; i++) {
    fds[i] = -1;
    if (err || (flags && !(flags & kinds[i].flag))) continue;
    char path[64], own[64];
    snprintf(path, sizeof path, "/proc/%d/ns/%s", pid, kinds[i].name);
    snprintf(own, sizeof own, "/proc/self/ns/%s", kinds[i].name);
    struct stat theirs, ours;
    if (stat(path, &theirs) != 0) {
      err = errno;
      continue;
    }
    /* "all": only those that differ (joining one's own user namespace is EINVAL) */
    if (!flags && stat(own, &ours) == 0 && ours.st_dev == theirs.st_dev && ours.st_ino == theirs.st_ino) continue;
    if ((fds[i] = open(path, O_RDONLY | O_CLOEXEC)) < 0) err = errno;
  }
  for (int i = 0; i < N; i++)
    if (fds[i] >= 0) {
      if (!err && setns(fds[i], (int)kinds[i].flag) != 0) err = errno;
      close(fds[i]);
    }
  if (err) errno = err;
  return err ? -1 : 0;
}

int sys_mount(const char *source, const char *target, const char *fstype, unsigned long flags, const char *data) {
  return mount(source ? source : "", target, fstype ? fstype : "", flags, data);
}

int sys_umount(const char *target, int flags) { return umount2(target, flags); }
int sys_pivot_root(const char *new_root, const char *put_old) {
  return (int)syscall(SYS_pivot_root, new_root, put_old);
}
int sys_chroot(const char *path) { return chroot(path); }

int sys_statfs(const char *path, struct sys_statfs *st) {
  struct statfs s;
  if (statfs(path, &s) != 0) return -1;
  st->type = (uint64_t)s.f_type;
  st->bsize = (uint64_t)s.f_bsize;
  st->blocks = s.f_blocks;
  st->bfree = s.f_bfree;
  st->bavail = s.f_bavail;
  st->files = s.f_files;
  st->ffree = s.f_ffree;
  return 0;
}
