/*
 * Namespaces and roots: unshare, nsenter, chroot, pivot_root, and lsns (util-linux's, as
 * busybox has none). On berth a program is always run as a child (spawn): after
 * unshare -p it is PID 1 of the new pid namespace, with or without -f, and the applet
 * waits and exits with its status.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifndef __wasi__
#include <sys/mount.h>
#endif

#include "sysapplets.h"
#include "toolbox.h"

extern char **environ;

/* ARGV, or $SHELL (or /bin/sh) when it is empty; EXTRA is the shell's argument if any. */
static int run_or_shell(char **argv, const char *extra) {
  static char *sh[3];
  if (!argv[0]) {
    const char *shell = getenv("SHELL");
    sh[0] = (char *)(shell && *shell ? shell : "/bin/sh");
    sh[1] = (char *)extra;
    argv = sh;
  }
  return run_program(argv);
}


#define UNSHARE_USAGE "unshare [OPTIONS] [PROG ARGS]"

/* unshare's internal option: in the child, mount proc at DIR and run the program (native builds). */
#define MOUNT_PROC_CHILD "--berth-mount-proc-child="

static int mount_proc(const char *dir) {
#ifndef __wasi__
  /* as util-linux: keep the new mount namespace's mounts from reaching the old one */
  if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) && errno != EINVAL) {
    tb_error("cannot change root filesystem propagation: %s", strerror(errno));
    return 0;
  }
#endif
  if (sys_mount("proc", dir, "proc", 0, "")) {
    tb_error("mount(%s) failed: %s", dir, strerror(errno));
    return 0;
  }
  return 1;
}

int applet_unshare(int argc, char **argv) {
  unsigned flags = 0;
  int fork_first = 0;
  const char *proc_dir = NULL;
  int i = 1;
  if (i < argc && !strncmp(argv[i], MOUNT_PROC_CHILD, strlen(MOUNT_PROC_CHILD))) {
    if (!mount_proc(argv[i] + strlen(MOUNT_PROC_CHILD))) return 1;
    return run_or_shell(argv + i + 1, NULL);
  }
  static const struct {
    const char *name;
    unsigned flag;
  } longs[] = {{"--mount", SYS_CLONE_NEWNS}, {"--uts", SYS_CLONE_NEWUTS},       {"--ipc", SYS_CLONE_NEWIPC},
               {"--net", SYS_CLONE_NEWNET},  {"--pid", SYS_CLONE_NEWPID},       {"--user", SYS_CLONE_NEWUSER},
               {"--cgroup", SYS_CLONE_NEWCGROUP}, {"--map-root-user", SYS_CLONE_NEWUSER}};
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--")) {
      i++;
      break;
    }
    if (a[1] == '-') {
      size_t k = 0, n = sizeof longs / sizeof longs[0];
      while (k < n && strcmp(longs[k].name, a)) k++;
      if (k < n) flags |= longs[k].flag;
      else if (!strncmp(a, "--mount-proc", 12) && (a[12] == 0 || a[12] == '=')) {
        proc_dir = a[12] == '=' ? a + 13 : "/proc";
        flags |= SYS_CLONE_NEWNS;
      } else if (!strcmp(a, "--fork")) fork_first = 1;
      else if (!strcmp(a, "--propagation") || !strcmp(a, "--setgroups")) i++;
      else if (strncmp(a, "--propagation=", 14) && strncmp(a, "--setgroups=", 12)) {
        tb_error("unrecognized option '%s'", a);
        return usage_error(UNSHARE_USAGE);
      }
      continue;
    }
    for (const char *o = a + 1; *o; o++) switch (*o) {
      case 'p': flags |= SYS_CLONE_NEWPID; break;
      case 'm': flags |= SYS_CLONE_NEWNS; break;
      case 'u': flags |= SYS_CLONE_NEWUTS; break;
      case 'i': flags |= SYS_CLONE_NEWIPC; break;
      case 'n': flags |= SYS_CLONE_NEWNET; break;
      case 'C': flags |= SYS_CLONE_NEWCGROUP; break;
      case 'U':
      case 'r': flags |= SYS_CLONE_NEWUSER; break;
      case 'f': fork_first = 1; break;
      default: tb_error("invalid option -- '%c'", *o); return usage_error(UNSHARE_USAGE);
      }
  }
  if (sys_unshare(flags)) {
    tb_error("unshare(0x%x): %s", flags, strerror(errno));
    return 1;
  }
  char **prog = argv + i;
#ifdef __wasi__
  /* berth: proc mounted after unshare(CLONE_NEWPID) shows the namespace the children get */
  (void)fork_first;
  if (proc_dir && !mount_proc(proc_dir)) return 1;
  return run_or_shell(prog, NULL);
#else
  if (!fork_first && !proc_dir) return run_or_shell(prog, NULL);
  /* the child (PID 1 of a new pid namespace) mounts proc itself: run this applet again */
  char opt[4096], exe[4096];
  int n = argc - i;
  char **args = tb_malloc(sizeof *args * (size_t)(n + 3));
  snprintf(opt, sizeof opt, MOUNT_PROC_CHILD "%s", proc_dir ? proc_dir : "");
  args[0] = (char *)"unshare";
  args[1] = opt;
  for (int k = 0; k <= n; k++) args[k + 2] = prog[k];
  char **run = proc_dir ? args : prog;
  if (!run[0]) return run_or_shell(run, NULL);
  const char *path = proc_dir ? "/proc/self/exe" : exe;
  if (!proc_dir && sys_find_program(run[0], exe, sizeof exe)) return run_program(run);
  int pid = sys_spawn(path, run, environ, NULL, 0, 0);
  if (pid < 0) {
    tb_error("fork: %s", strerror(errno));
    return 1;
  }
  int st = 0;
  while (sys_waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  return SYS_WIFSIGNALED(st) ? 128 + SYS_WTERMSIG(st) : SYS_WEXITSTATUS(st);
#endif
}

#define NSENTER_USAGE "nsenter [OPTIONS] [PROG ARGS]"

int applet_nsenter(int argc, char **argv) {
  int target = 0, opt, all = 0;
  unsigned flags = 0;
  const char *wd = NULL;
  static const struct option longs[] = {{"target", required_argument, 0, 't'}, {"mount", optional_argument, 0, 'm'},
                                        {"uts", optional_argument, 0, 'u'},    {"ipc", optional_argument, 0, 'i'},
                                        {"net", optional_argument, 0, 'n'},    {"pid", optional_argument, 0, 'p'},
                                        {"user", optional_argument, 0, 'U'},   {"cgroup", optional_argument, 0, 'C'},
                                        {"all", no_argument, 0, 'a'},          {"root", optional_argument, 0, 'r'},
                                        {"wd", optional_argument, 0, 'w'},     {"no-fork", no_argument, 0, 'F'},
                                        {"preserve-credentials", no_argument, 0, 'c'},
                                        {0, 0, 0, 0}};
  while ((opt = getopt_long(argc, argv, "+t:m::u::i::n::p::U::C::ar::w::FS:G:", longs, NULL)) != -1) switch (opt) {
    case 't': target = atoi(optarg); break;
    case 'm': flags |= SYS_CLONE_NEWNS; break;
    case 'u': flags |= SYS_CLONE_NEWUTS; break;
    case 'i': flags |= SYS_CLONE_NEWIPC; break;
    case 'n': flags |= SYS_CLONE_NEWNET; break;
    case 'p': flags |= SYS_CLONE_NEWPID; break;
    case 'U': flags |= SYS_CLONE_NEWUSER; break;
    case 'C': flags |= SYS_CLONE_NEWCGROUP; break;
    case 'a': all = 1; break;
    case 'w': wd = optarg ? optarg : ""; break;
    case 'r': case 'F': case 'S': case 'G': case 'c': break;
    default: return usage_error(NSENTER_USAGE);
    }
  if (!target && (flags || all)) return usage_error(NSENTER_USAGE);
  if (target) {
    if (sys_setns(target, all ? 0 : flags)) {
      tb_error("setns(%d): %s", target, strerror(errno));
      return 1;
    }
    /* -w without a directory: the target's working directory */
    char cwd[4096];
    if (wd && !*wd) {
      char link[64];
      snprintf(link, sizeof link, "/proc/%d/cwd", target);
      ssize_t l = readlink(link, cwd, sizeof cwd - 1);
      cwd[l > 0 ? l : 0] = 0;
      wd = cwd;
    }
    if (wd && *wd && sys_chdir(wd)) {
      tb_error("can't change directory to '%s': %s", wd, strerror(errno));
      return 1;
    }
  }
  return run_or_shell(argv + optind, NULL);
}

int applet_chroot(int argc, char **argv) {
  if (argc < 2) return usage_error("chroot NEWROOT [PROG ARGS]");
  if (sys_chroot(argv[1])) {
    tb_error("can't change root directory to '%s': %s", argv[1], strerror(errno));
    return 1;
  }
  if (sys_chdir("/")) {
    tb_perror("can't change directory to '/'");
    return 1;
  }
  return run_or_shell(argv + 2, "-i");
}

int applet_pivot_root(int argc, char **argv) {
  if (argc != 3) return usage_error("pivot_root NEW_ROOT PUT_OLD");
  if (sys_pivot_root(argv[1], argv[2])) {
    tb_error("pivot_root: %s", strerror(errno));
    return 1;
  }
  return 0;
}

/* lsns: one line per namespace, with the lowest pid in it and how many processes share it. */
static const char *const NS_TYPES[] = {"mnt", "net", "time", "cgroup", "pid", "user", "uts", "ipc"};
#define NTYPES (int)(sizeof NS_TYPES / sizeof NS_TYPES[0])

struct ns {
  unsigned long long ino;
  int type, nprocs, pid;
  unsigned uid;
};

static int by_ino(const void *a, const void *b) {
  const struct ns *x = a, *y = b;
  return x->ino < y->ino ? -1 : x->ino > y->ino;
}

static int by_number(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

/* The namespace inode of PID's TYPE ("uts:[4026531838]"), 0 if none. */
static unsigned long long ns_of(int pid, const char *type) {
  char path[64], link[128];
  snprintf(path, sizeof path, "/proc/%d/ns/%s", pid, type);
  ssize_t n = readlink(path, link, sizeof link - 1);
  if (n <= 0) return 0;
  link[n] = 0;
  char *b = strchr(link, '[');
  return b ? strtoull(b + 1, NULL, 10) : 0;
}

static unsigned uid_of(int pid) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/status", pid);
  char *s = read_whole(path, NULL), *u = s ? strstr(s, "\nUid:") : NULL;
  unsigned uid = u ? (unsigned)strtoul(u + 5, NULL, 10) : 0;
  free(s);
  return uid;
}

static char *command_of(int pid) {
  char path[64];
  size_t len = 0;
  snprintf(path, sizeof path, "/proc/%d/cmdline", pid);
  char *s = read_whole(path, &len);
  if (!s) return tb_strdup("");
  while (len > 0 && s[len - 1] == 0) len--;
  for (size_t k = 0; k < len; k++)
    if (!s[k]) s[k] = ' ';
  s[len] = 0;
  return s;
}

int applet_lsns(int argc, char **argv) {
  int opt, headings = 1, only_pid = 0, only_type = -1;
  while ((opt = getopt(argc, argv, "nt:p:l")) != -1) switch (opt) {
    case 'n': headings = 0; break;
    case 'p': only_pid = atoi(optarg); break;
    case 't':
      for (only_type = 0; only_type < NTYPES && strcmp(NS_TYPES[only_type], optarg); only_type++) {
      }
      if (only_type == NTYPES) {
        tb_error("unknown namespace type: %s", optarg);
        return 1;
      }
      break;
    case 'l': break;
    default: return usage_error("lsns [options] [<namespace>]");
    }
  DIR *d = opendir("/proc");
  if (!d) {
    tb_error("cannot open /proc: %s", strerror(errno));
    return 1;
  }
  int *pids = NULL, npids = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    char *end;
    long pid = strtol(e->d_name, &end, 10);
    if (*end || pid <= 0) continue;
    pids = tb_realloc(pids, sizeof *pids * (size_t)(npids + 1));
    pids[npids++] = (int)pid;
  }
  closedir(d);
  qsort(pids, (size_t)npids, sizeof *pids, by_number);
  struct ns *list = NULL;
  int n = 0;
  unsigned long long wanted[NTYPES] = {0};
  if (only_pid)
    for (int t = 0; t < NTYPES; t++) wanted[t] = ns_of(only_pid, NS_TYPES[t]);
  for (int i = 0; i < npids; i++)
    for (int t = 0; t < NTYPES; t++) {
      if (only_type >= 0 && t != only_type) continue;
      unsigned long long ino = ns_of(pids[i], NS_TYPES[t]);
      if (!ino || (only_pid && ino != wanted[t])) continue;
      int k = 0;
      while (k < n && !(list[k].ino == ino && list[k].type == t)) k++;
      if (k < n) {
        list[k].nprocs++;
        continue;
      }
      list = tb_realloc(list, sizeof *list * (size_t)(n + 1));
      list[n++] = (struct ns){ino, t, 1, pids[i], uid_of(pids[i])};
    }
  qsort(list, (size_t)n, sizeof *list, by_ino);
  /* columns as wide as their widest value or heading */
  int w_ns = 2, w_type = 4, w_nprocs = 6, w_pid = 3, w_user = 4;
  char buf[64];
  for (int k = 0; k < n; k++) {
    const char *u = ids_user_name(list[k].uid);
    int l;
    if ((l = snprintf(buf, sizeof buf, "%llu", list[k].ino)) > w_ns) w_ns = l;
    if ((l = (int)strlen(NS_TYPES[list[k].type])) > w_type) w_type = l;
    if ((l = snprintf(buf, sizeof buf, "%d", list[k].nprocs)) > w_nprocs) w_nprocs = l;
    if ((l = snprintf(buf, sizeof buf, "%d", list[k].pid)) > w_pid) w_pid = l;
    if ((l = u ? (int)strlen(u) : snprintf(buf, sizeof buf, "%u", list[k].uid)) > w_user) w_user = l;
  }
  if (headings)
    printf("%*s %-*s %*s %*s %-*s COMMAND\n", w_ns, "NS", w_type, "TYPE", w_nprocs, "NPROCS", w_pid, "PID", w_user,
           "USER");
  for (int k = 0; k < n; k++) {
    const char *u = ids_user_name(list[k].uid);
    char user[32], *cmd = command_of(list[k].pid);
    if (u) snprintf(user, sizeof user, "%s", u);
    else snprintf(user, sizeof user, "%u", list[k].uid);
    printf("%*llu %-*s %*d %*d %-*s %s\n", w_ns, list[k].ino, w_type, NS_TYPES[list[k].type], w_nprocs,
           list[k].nprocs, w_pid, list[k].pid, w_user, user, cmd);
    free(cmd);
  }
  free(list);
  free(pids);
  return 0;
}
