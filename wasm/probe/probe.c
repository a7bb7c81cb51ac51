/*
 * probe: a multi-call program that checks the emulated kernel from inside a process.
 * `probe NAME ARGS…` runs one behaviour; the kernel tests (test/kernel/proc) run it in
 * Node and in Chromium and compare what it prints with what Linux would show.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

#include "../include/berth.h"

static void (*handlers[65])(int);

/* The kernel calls this export to deliver a caught signal. */
__attribute__((export_name("__berth_signal"))) void berth_signal_entry(int sig) {
  if (sig > 0 && sig < 65 && handlers[sig]) handlers[sig](sig);
}

static void on_signal(int sig, void (*fn)(int)) {
  handlers[sig] = fn;
  berth_sigaction(sig, BERTH_SIG_CATCH);
}

static int spawn(const char *path, const char *argv, size_t argv_len, const uint32_t *map, size_t pairs,
                 uint32_t flags) {
  uint32_t pid = 0;
  int err = berth_spawn(path, strlen(path), argv, argv_len, "", 0, "", 0, map, pairs, flags, &pid);
  if (err) {
    if (err != __WASI_ERRNO_AGAIN) fprintf(stderr, "spawn %s: errno %d\n", path, err);
    return -1;
  }
  return (int)pid;
}

static int wait_for(int pid) {
  int32_t status = 0, got = 0;
  int err = berth_waitpid(pid, 0, &status, &got);
  if (err) {
    fprintf(stderr, "waitpid: errno %d\n", err);
    return -1;
  }
  return status;
}

static void print_status(const char *what, int status) {
  if (BERTH_WIFEXITED(status))
    printf("%s exited %d\n", what, BERTH_WEXITSTATUS(status));
  else
    printf("%s killed %d\n", what, BERTH_WTERMSIG(status));
}

static volatile int caught;
static void note_signal(int sig) { caught = sig; }

static int cmd_ids(void) {
  char uts[6 * 65];
  berth_uname(uts);
  printf("pid %d\nppid %d\nuid %d\ngid %d\nhostname %s\nsysname %s\n", berth_getpid(), berth_getppid(),
         berth_getuid(), berth_getgid(), uts + 65, uts);
  return 0;
}

/* Copy stdin to stdout with blocking reads; prints the byte count to stderr. */
static int cmd_cat(void) {
  char buf[4096];
  long total = 0;
  for (;;) {
    ssize_t n = read(0, buf, sizeof buf);
    if (n < 0) {
      perror("read");
      return 1;
    }
    if (n == 0) break;
    total += n;
    if (write(1, buf, (size_t)n) != n) return 1;
  }
  fprintf(stderr, "%ld bytes\n", total);
  return 0;
}

/* Write N bytes of 'x' to stdout. */
static int cmd_emit(long n) {
  static char buf[65536];
  memset(buf, 'x', sizeof buf);
  while (n > 0) {
    size_t k = n > (long)sizeof buf ? sizeof buf : (size_t)n;
    ssize_t w = write(1, buf, k);
    if (w <= 0) return 1;
    n -= w;
  }
  return 0;
}

/* Spawn `self emit BYTES | self cat`, wait for both. */
static int cmd_pipeline(const char *self, long bytes) {
  uint32_t r, w;
  if (berth_fd_pipe(&r, &w)) return 1;
  char argv1[64];
  int l1 = snprintf(argv1, sizeof argv1, "probe%cemit%c%ld", 0, 0, bytes) + 1;
  uint32_t map1[] = {0, 0, 1, w, 2, 2};
  int a = spawn(self, argv1, (size_t)l1, map1, 3, 0);
  uint32_t map2[] = {0, r, 1, 1, 2, 2};
  int b = spawn(self, "probe\0cat", 10, map2, 3, 0);
  close((int)r);
  close((int)w);
  int sa = wait_for(a), sb = wait_for(b);
  print_status("writer", sa);
  print_status("reader", sb);
  return 0;
}

static int cmd_orc(long n, const char *path) {
  char buf[64];
  for (long i = 0; i < n; i++) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
      perror("open");
      return 1;
    }
    if (read(fd, buf, sizeof buf) < 0) return 1;
    close(fd);
  }
  return 0;
}

static int cmd_writefile(long mb, const char *path) {
  static char buf[1 << 20];
  memset(buf, 'y', sizeof buf);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) {
    perror("open");
    return 1;
  }
  for (long i = 0; i < mb; i++)
    if (write(fd, buf, sizeof buf) != (ssize_t)sizeof buf) return 1;
  close(fd);
  return 0;
}

/* ---- `probe container`: check the container view from inside (TAP-like lines) ---- */
static int checks, failed;
static void check(int cond, const char *name, const char *detail) {
  checks++;
  if (cond)
    printf("ok %d - %s\n", checks, name);
  else {
    failed++;
    printf("not ok %d - %s: %s\n", checks, name, detail);
  }
}

/* The whole content of a file (static buffer), or NULL. */
static char *slurp(const char *path) {
  static char buf[65536];
  int fd = open(path, O_RDONLY);
  if (fd < 0) return NULL;
  ssize_t n, total = 0;
  while ((n = read(fd, buf + total, sizeof buf - 1 - (size_t)total)) > 0) total += n;
  close(fd);
  buf[total] = 0;
  return buf;
}

/* The value after "Key:\t" in a status-like file, up to the newline. */
static const char *field(const char *text, const char *key, char *out, size_t len) {
  const char *p = text ? strstr(text, key) : NULL;
  if (!p) return NULL;
  p += strlen(key);
  while (*p == ':' || *p == '\t' || *p == ' ') p++;
  size_t i = 0;
  while (p[i] && p[i] != '\n' && i + 1 < len) {
    out[i] = p[i];
    i++;
  }
  out[i] = 0;
  return out;
}

static int cmd_container(const char *hostname) {
  char v[256], uts[6 * 65];
  check(berth_getpid() == 1, "PID 1 inside", "getpid is not 1");
  check(berth_getppid() == 0, "parent outside the namespace reads as 0", "getppid is not 0");
  berth_uname(uts);
  check(!strcmp(uts + 65, hostname), "hostname", uts + 65);
  char *etc = slurp("/etc/hostname");
  char want[128];
  snprintf(want, sizeof want, "%s\n", hostname);
  check(etc && !strcmp(etc, want), "/etc/hostname", etc ? etc : "missing");
  char *hosts = slurp("/etc/hosts");
  check(hosts && strstr(hosts, "127.0.0.1\tlocalhost"), "/etc/hosts has localhost", hosts ? hosts : "missing");
  char *status = slurp("/proc/self/status");
  check(status && field(status, "Pid", v, sizeof v) && !strcmp(v, "1"), "/proc/self/status Pid 1", status ? v : "missing");
  check(status && field(status, "NSpid", v, sizeof v) && !strcmp(v, "1"), "/proc/self/status NSpid inside", status ? v : "missing");
  char link[128];
  ssize_t n = readlink("/proc/self/ns/pid", link, sizeof link - 1);
  link[n > 0 ? n : 0] = 0;
  check(n > 0 && !strncmp(link, "pid:[", 5) && strcmp(link, "pid:[4026531836]"), "/proc/self/ns/pid is a new namespace", link);
  n = readlink("/proc/self/ns/uts", link, sizeof link - 1);
  link[n > 0 ? n : 0] = 0;
  check(n > 0 && !strncmp(link, "uts:[", 5), "/proc/self/ns/uts", link);
  char *mounts = slurp("/proc/mounts");
  check(mounts && strstr(mounts, " / overlay "), "/proc/mounts: overlay root", mounts ? mounts : "missing");
  check(mounts && strstr(mounts, "proc /proc proc "), "/proc/mounts: proc", mounts ? mounts : "missing");
  check(mounts && strstr(mounts, " /sys/fs/cgroup cgroup2 "), "/proc/mounts: cgroup2", mounts ? mounts : "missing");
  char *cg = slurp("/proc/self/cgroup");
  check(cg && !strcmp(cg, "0::/\n"), "/proc/self/cgroup is the namespace root", cg ? cg : "missing");
  char *pmax = slurp("/sys/fs/cgroup/pids.max");
  check(pmax != NULL, "/sys/fs/cgroup/pids.max readable", "missing");
  char *mmax = slurp("/sys/fs/cgroup/memory.max");
  check(mmax != NULL, "/sys/fs/cgroup/memory.max readable", "missing");
  int fd = open("/dev/null", O_WRONLY);
  check(fd >= 0 && write(fd, "x", 1) == 1, "/dev/null takes writes", "open or write failed");
  if (fd >= 0) close(fd);
  fd = open("/dev/zero", O_RDONLY);
  char z[4] = {1, 1, 1, 1};
  check(fd >= 0 && read(fd, z, 4) == 4 && !z[0] && !z[3], "/dev/zero reads zeros", "open or read failed");
  if (fd >= 0) close(fd);
  fd = open("/dev/full", O_WRONLY);
  check(fd >= 0 && write(fd, "x", 1) < 0 && errno == ENOSPC, "/dev/full: ENOSPC", "open or write gave no ENOSPC");
  if (fd >= 0) close(fd);
  fd = open("/dev/urandom", O_RDONLY);
  char r[64] = {0};
  int nonzero = 0;
  if (fd >= 0 && read(fd, r, sizeof r) == (ssize_t)sizeof r)
    for (size_t i = 0; i < sizeof r; i++) nonzero |= r[i];
  check(nonzero, "/dev/urandom gives bytes", "read failed or all zero");
  if (fd >= 0) close(fd);
  fd = open("/dev/stdout", O_WRONLY);
  check(fd >= 0 && write(fd, "via /dev/stdout\n", 16) == 16, "/dev/stdout writes to fd 1", "open or write failed");
  if (fd >= 0) close(fd);
  char *env = slurp("/proc/self/environ");
  check(env != NULL, "/proc/self/environ readable", "missing");
  char *up = slurp("/proc/uptime");
  check(up && strchr(up, '.') && strchr(up, ' '), "/proc/uptime", up ? up : "missing");
  char *mi = slurp("/proc/meminfo");
  check(mi && !strncmp(mi, "MemTotal:", 9), "/proc/meminfo", mi ? mi : "missing");
  n = readlink("/proc/self/fd/1", link, sizeof link - 1);
  check(n > 0, "/proc/self/fd/1 is a link", "readlink failed");
  printf("1..%d\n", checks);
  return failed ? 1 : 0;
}

/* ---- `probe byhand`: a container made from the kernel primitives, as a shell would ---- */
static int mnt(const char *src, const char *target, const char *type, uint32_t flags, const char *data) {
  int err = berth_mount(src, strlen(src), target, strlen(target), type, strlen(type), flags, data, strlen(data));
  if (err) printf("mount %s on %s: errno %d\n", type, target, err);
  return err;
}

static int copy_file(const char *from, const char *to) {
  int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755);
  if (in < 0 || out < 0) return -1;
  char buf[8192];
  ssize_t n;
  while ((n = read(in, buf, sizeof buf)) > 0)
    if (write(out, buf, (size_t)n) != n) return -1;
  close(in);
  close(out);
  return 0;
}

static void put(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    if (write(fd, text, strlen(text)) < 0) perror(path);
    close(fd);
  }
}

static int cmd_byhand(void) {
  if (mnt("tmpfs", "/tmp", "tmpfs", 0, "")) return 1;
  const char *dirs[] = {"/tmp/lower", "/tmp/upper", "/tmp/work", "/tmp/merged", "/tmp/lower/bin", "/tmp/lower/proc", "/tmp/lower/old"};
  for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) mkdir(dirs[i], 0755);
  put("/tmp/lower/hello", "from the lower layer\n");
  if (copy_file("/bin/probe", "/tmp/lower/bin/probe")) return 1;
  if (mnt("overlay", "/tmp/merged", "overlay", 0, "lowerdir=/tmp/lower,upperdir=/tmp/upper,workdir=/tmp/work")) return 1;
  int err = berth_unshare(BERTH_CLONE_NEWNS | BERTH_CLONE_NEWUTS | BERTH_CLONE_NEWPID);
  if (!err) err = berth_sethostname("handmade", 8);
  printf("unshare+sethostname %d\n", err);
  fflush(stdout);
  int pid = spawn("/bin/probe", "probe\0byhand-child", 19, NULL, 0, 0);
  print_status("child", wait_for(pid));
  return 0;
}

static int cmd_byhand_child(void) {
  char uts[6 * 65], link[128];
  int err = berth_pivot_root("/tmp/merged", 11, "/tmp/merged/old", 15);
  printf("pivot_root %d\n", err);
  if (err) return 1;
  if (mnt("proc", "/proc", "proc", 0, "")) return 1;
  err = berth_umount("/old", 4, BERTH_MNT_DETACH);
  printf("umount /old %d\n", err);
  berth_uname(uts);
  ssize_t n = readlink("/proc/self/ns/pid", link, sizeof link - 1);
  link[n > 0 ? n : 0] = 0;
  char *hello = slurp("/hello");
  printf("pid %d hostname %s ns %s\nhello: %s", berth_getpid(), uts + 65, strncmp(link, "pid:[", 5) ? "?" : "pid", hello ? hello : "missing\n");
  char *status = slurp("/proc/1/status");
  char v[64];
  printf("/proc/1 NSpid %s\n", status && field(status, "NSpid", v, sizeof v) ? v : "missing");
  put("/newfile", "made inside\n");
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: probe COMMAND [ARGS...]\n");
    return 2;
  }
  const char *cmd = argv[1];
  const char *self = "/bin/probe";
  if (!strcmp(cmd, "hello")) {
    printf("hello from probe\n");
    return 0;
  }
  if (!strcmp(cmd, "exit")) return argc > 2 ? atoi(argv[2]) : 0;
  if (!strcmp(cmd, "pwd")) {
    char cwd[1024];
    printf("%s\n", getcwd(cwd, sizeof cwd) ? cwd : "?");
    return 0;
  }
  if (!strcmp(cmd, "args")) {
    for (int i = 0; i < argc; i++) printf("%s\n", argv[i]);
    const char *v = getenv("PROBE");
    printf("PROBE=%s\n", v ? v : "(unset)");
    return 0;
  }
  if (!strcmp(cmd, "loop")) {
    printf("looping\n");
    fflush(stdout);
    for (volatile unsigned long i = 0;; i++) {
    }
  }
  if (!strcmp(cmd, "trap")) __builtin_trap();
  if (!strcmp(cmd, "segv")) {
    volatile int *p = (int *)0xfffffff0;
    return *p;
  }
  if (!strcmp(cmd, "ids")) return cmd_ids();
  if (!strcmp(cmd, "uts")) {
    /* unshare the uts namespace, rename it, show it; the parent's name is untouched */
    int err = berth_unshare(BERTH_CLONE_NEWUTS);
    if (!err) err = berth_sethostname(argv[2], strlen(argv[2]));
    char uts[6 * 65];
    berth_uname(uts);
    printf("err %d hostname %s\n", err, uts + 65);
    return 0;
  }
  if (!strcmp(cmd, "pidns")) {
    /* unshare(CLONE_NEWPID): the caller stays; its next child is PID 1 of the new namespace */
    int err = berth_unshare(BERTH_CLONE_NEWPID);
    printf("unshare %d self %d\n", err, berth_getpid());
    fflush(stdout);
    int pid = spawn(self, "probe\0ids", 10, NULL, 0, 0);
    print_status("child", wait_for(pid));
    return 0;
  }
  if (!strcmp(cmd, "stat")) {
    struct berth_stat st;
    int err = berth_fstatat(3, argv[2], strlen(argv[2]), 0, &st);
    if (err) {
      printf("errno %d\n", err);
      return 1;
    }
    printf("mode %o uid %u gid %u nlink %u size %lld\n", st.mode, st.uid, st.gid, st.nlink, (long long)st.size);
    return 0;
  }
  if (!strcmp(cmd, "container")) return cmd_container(argc > 2 ? argv[2] : "berth");
  if (!strcmp(cmd, "byhand")) return cmd_byhand();
  if (!strcmp(cmd, "poll")) {
    /* poll_oneoff on a pipe: a timeout with nothing to read, then readiness after a write */
    uint32_t r, w;
    if (berth_fd_pipe(&r, &w)) return 1;
    struct pollfd p = {(int)r, POLLIN, 0};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int n1 = poll(&p, 1, 50);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    if (write((int)w, "x", 1) != 1) return 1;
    int n2 = poll(&p, 1, 1000);
    printf("empty %d after>=50ms %d ready %d pollin %d\n", n1, ms >= 49, n2, (p.revents & POLLIN) != 0);
    return 0;
  }
  if (!strcmp(cmd, "net-server")) {
    /* listen on 127.0.0.1:PORT, answer one connection's line with "pong: LINE" */
    uint32_t lfd;
    __wasi_fd_t cfd;
    int err = berth_sock_listen((uint32_t)atoi(argv[2]), 8, &lfd);
    printf("listen %d\n", err);
    fflush(stdout);
    if (err) return 1;
    err = __wasi_sock_accept((__wasi_fd_t)lfd, 0, &cfd);
    if (err) {
      printf("accept %d\n", err);
      return 1;
    }
    char line[128];
    ssize_t n = read((int)cfd, line, sizeof line - 1);
    line[n > 0 ? n : 0] = 0;
    char reply[160];
    int len = snprintf(reply, sizeof reply, "pong: %s", line);
    if (write((int)cfd, reply, (size_t)len) != len) return 1;
    close((int)cfd);
    return 0;
  }
  if (!strcmp(cmd, "net-client")) {
    uint32_t fd;
    int err = berth_sock_connect((uint32_t)atoi(argv[2]), &fd);
    if (err) {
      printf("connect errno %d\n", err);
      return 0;
    }
    if (write((int)fd, "ping\n", 5) != 5) return 1;
    char buf[160];
    ssize_t n, total = 0;
    while ((n = read((int)fd, buf + total, sizeof buf - 1 - (size_t)total)) > 0) total += n;
    buf[total] = 0;
    printf("reply %s", buf);
    return 0;
  }
  if (!strcmp(cmd, "chroot")) {
    /* chroot DIR, then show what / holds and that .. cannot climb out */
    int err = berth_chroot(argv[2], strlen(argv[2]));
    char *in = slurp("/inside");
    char *up = slurp("/../../etc/hostname");
    printf("chroot %d inside %s climb %s\n", err, in ? in : "missing\n", up ? "escaped" : "blocked");
    return 0;
  }
  if (!strcmp(cmd, "byhand-child")) return cmd_byhand_child();
  if (!strcmp(cmd, "cat")) return cmd_cat();
  if (!strcmp(cmd, "emit")) return cmd_emit(argc > 2 ? atol(argv[2]) : 0);
  if (!strcmp(cmd, "sleep")) {
    struct timespec ts = {0, 0};
    long ms = argc > 2 ? atol(argv[2]) : 0;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    nanosleep(&ts, NULL);
    printf("slept\n");
    return 0;
  }
  if (!strcmp(cmd, "pipeline")) return cmd_pipeline(self, argc > 2 ? atol(argv[2]) : 100000);
  if (!strcmp(cmd, "child")) {
    /* spawn `probe exit N` and report its status and pid relation */
    int pid = spawn(self, "probe\0exit\0" "7", 13, NULL, 0, 0);
    print_status("child", wait_for(pid));
    int32_t status, got;
    printf("again %d\n", berth_waitpid(-1, BERTH_WNOHANG, &status, &got));
    return 0;
  }
  if (!strcmp(cmd, "catch")) {
    /* catch SIGTERM while blocked reading stdin */
    on_signal(15, note_signal);
    printf("ready\n");
    fflush(stdout);
    char c;
    ssize_t n = read(0, &c, 1);
    printf("read %zd errno %d caught %d\n", n, n < 0 ? errno : 0, caught);
    return 0;
  }
  if (!strcmp(cmd, "orc")) return cmd_orc(argc > 2 ? atol(argv[2]) : 1000, argc > 3 ? argv[3] : "/etc/hostname");
  if (!strcmp(cmd, "writefile"))
    return cmd_writefile(argc > 2 ? atol(argv[2]) : 1, argc > 3 ? argv[3] : "/tmp/out");
  if (!strcmp(cmd, "badfd")) {
    /* writes to closed and never-opened fds fail with EBADF; the program goes on */
    ssize_t a = write(42, "x", 1);
    int ea = errno;
    close(2);
    ssize_t b = write(2, "x", 1);
    int eb = errno;
    printf("write 42: %zd %s\nwrite closed 2: %zd %s\n", a, ea == EBADF ? "EBADF" : "?", b,
           eb == EBADF ? "EBADF" : "?");
    return 0;
  }
  if (!strcmp(cmd, "forkbomb")) {
    /* each copy keeps starting copies of itself; EAGAIN (pids.max) only makes it retry */
    for (;;) {
      int pid = spawn(self, "probe\0forkbomb", 15, NULL, 0, 0);
      if (pid < 0) {
        struct timespec ts = {0, 5000000L};
        nanosleep(&ts, NULL);
      }
    }
  }
  if (!strcmp(cmd, "memhog")) {
    /* keep every block reachable so the compiler cannot drop the allocations */
    static char *volatile blocks[65536];
    long step = argc > 2 ? atol(argv[2]) : 1 << 20;
    for (long i = 0; i < 65536; i++) {
      char *p = malloc((size_t)step);
      if (!p) {
        printf("malloc failed at %ld\n", i * step);
        return 1;
      }
      memset(p, 1, (size_t)step);
      blocks[i] = p;
    }
    return 0;
  }
  fprintf(stderr, "probe: unknown command %s\n", cmd);
  return 2;
}
