/*
 * The system interface berth's programs (sh, toolbox) are written against, so the same
 * sources build for WASI on berth's kernel (sys_wasi.c, over berth.h's process extension)
 * and natively for Linux (sys_native.c, over libc). POSIX convention: 0 (or a value) on
 * success, -1 with errno set on failure. Everything else the programs use is plain POSIX
 * that both wasi-libc and glibc have (open, read, opendir, rename, symlink, utimensat, …).
 */
#ifndef BERTH_SYS_H
#define BERTH_SYS_H
#include <stddef.h>
#include <stdint.h>

/* stat with the Linux fields WASI lacks (mode bits, owner, device numbers). */
struct sys_stat {
  uint64_t dev, ino;
  uint32_t mode, nlink, uid, gid;
  uint64_t rdev;
  int64_t size, blocks;
  uint32_t blksize;
  int64_t atime_ns, mtime_ns, ctime_ns;
};
int sys_stat(const char *path, struct sys_stat *st);  /* follows symlinks */
int sys_lstat(const char *path, struct sys_stat *st); /* does not */
int sys_fstat(int fd, struct sys_stat *st);
int sys_chmod(const char *path, unsigned mode);
int sys_chown(const char *path, int uid, int gid, int nofollow); /* -1 leaves an id as is */
unsigned sys_umask(unsigned mask);

/* The working directory, also for children the program spawns. */
int sys_chdir(const char *path);

/* Identity. */
int sys_getpid(void);
int sys_getppid(void);
int sys_getuid(void);
int sys_geteuid(void);
int sys_getgid(void);
int sys_getegid(void);
int sys_setuid(unsigned uid);
int sys_setgid(unsigned gid);

/* Processes. fdmap holds (child fd, parent fd) pairs; with no pairs the child gets this
 * process's 0, 1 and 2. clone_flags: SYS_CLONE_NEW* namespaces for the child (pid as on
 * Linux applies from the child on). Returns the child's pid; an image that cannot be
 * executed fails with ENOEXEC, a missing one with ENOENT. */
int sys_spawn(const char *path, char *const argv[], char *const envp[], const int *fdmap, int pairs,
              unsigned clone_flags);
/* Linux wait status; EINTR when a caught signal arrived while waiting. */
int sys_waitpid(int pid, int *status, int options);
#define SYS_WNOHANG 1
#define SYS_WIFEXITED(s) (((s) & 0x7f) == 0)
#define SYS_WEXITSTATUS(s) (((s) >> 8) & 0xff)
#define SYS_WIFSIGNALED(s) (((s) & 0x7f) != 0 && ((s) & 0xff) != 0x7f)
#define SYS_WTERMSIG(s) ((s) & 0x7f)
/* Run PATH in place of this program (exec): natively execve; on berth spawn, wait and
 * exit with the child's status. Returns only on failure. */
int sys_exec(const char *path, char *const argv[], char *const envp[]);
/* Find NAME on $PATH (or take it as a path when it has a '/'): 0 found (OUT holds the
 * path), 126 found but not executable, 127 not found. */
int sys_find_program(const char *name, char *out, size_t outlen);
int sys_kill(int pid, int sig);
/* SYS_SIG_DFL, SYS_SIG_IGN, or SYS_SIG_CATCH with HANDLER (called between syscalls on
 * berth, as a signal handler natively: keep it to setting a flag). */
#define SYS_SIG_DFL 0
#define SYS_SIG_IGN 1
#define SYS_SIG_CATCH 2
int sys_signal(int sig, int disposition, void (*handler)(int));

/* File descriptors. */
int sys_pipe(int fds[2]);
int sys_dup(int fd);
int sys_dup2(int from, int to);

/* Namespaces, mounts and host names, as the Linux calls of the same names. */
struct sys_utsname {
  char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};
int sys_uname(struct sys_utsname *u);
int sys_sethostname(const char *name, size_t len);
int sys_setdomainname(const char *name, size_t len);
int sys_unshare(unsigned flags);
int sys_setns(int pid, unsigned flags); /* enter PID's namespaces named by flags */
int sys_mount(const char *source, const char *target, const char *fstype, unsigned long flags, const char *data);
int sys_umount(const char *target, int flags);
int sys_pivot_root(const char *new_root, const char *put_old);
int sys_chroot(const char *path);

/* statfs(2) of the filesystem holding PATH: sizes in bsize blocks, type its magic number. */
struct sys_statfs {
  uint64_t type, bsize, blocks, bfree, bavail, files, ffree;
};
int sys_statfs(const char *path, struct sys_statfs *st);

#define SYS_CLONE_NEWNS 0x00020000
#define SYS_CLONE_NEWCGROUP 0x02000000
#define SYS_CLONE_NEWUTS 0x04000000
#define SYS_CLONE_NEWIPC 0x08000000
#define SYS_CLONE_NEWUSER 0x10000000
#define SYS_CLONE_NEWPID 0x20000000
#define SYS_CLONE_NEWNET 0x40000000
#define SYS_MS_RDONLY 1
#define SYS_MS_REMOUNT 32
#define SYS_MS_BIND 4096
#define SYS_MS_REC 16384
#define SYS_MNT_DETACH 2

/* Signal numbers (Linux's), which WASI's <signal.h> may lack. */
#define SYS_SIGHUP 1
#define SYS_SIGINT 2
#define SYS_SIGQUIT 3
#define SYS_SIGKILL 9
#define SYS_SIGPIPE 13
#define SYS_SIGALRM 14
#define SYS_SIGTERM 15
#define SYS_SIGCHLD 17
#define SYS_SIGCONT 18
#define SYS_SIGSTOP 19
#define SYS_SIGTSTP 20

#endif
