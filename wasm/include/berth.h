/*
 * berth's process extension for WASI programs (docs/process-extension.md).
 * Calls that WASIX also has use its module (wasix_32v1) and signature; the rest are in
 * module "berth". Each returns a WASI errno (0 = success) unless noted.
 */
#ifndef BERTH_H
#define BERTH_H
#include <stdint.h>
#include <stddef.h>

#define BERTH_IMPORT(mod, fn) __attribute__((import_module(mod), import_name(fn)))

/* WASIX-compatible */
BERTH_IMPORT("wasix_32v1", "proc_id") int32_t berth_proc_id(uint32_t *pid);
BERTH_IMPORT("wasix_32v1", "proc_parent") int32_t berth_proc_parent(uint32_t pid, uint32_t *ppid);
BERTH_IMPORT("wasix_32v1", "fd_pipe") int32_t berth_fd_pipe(uint32_t *rfd, uint32_t *wfd);
BERTH_IMPORT("wasix_32v1", "fd_dup") int32_t berth_fd_dup(uint32_t fd, uint32_t *newfd);
BERTH_IMPORT("wasix_32v1", "getcwd") int32_t berth_getcwd(char *buf, uint32_t *len);
BERTH_IMPORT("wasix_32v1", "chdir") int32_t berth_chdir(const char *path, size_t len);

/* berth */
/* argv and env are NUL-separated strings; fdmap holds (child fd, parent fd) pairs; flags
 * are clone(2) CLONE_NEW* bits. fd 3 of the child is always its root preopen. */
BERTH_IMPORT("berth", "spawn")
int32_t berth_spawn(const char *path, size_t path_len, const char *argv, size_t argv_len,
                    const char *env, size_t env_len, const char *cwd, size_t cwd_len,
                    const uint32_t *fdmap, size_t fdmap_pairs, uint32_t flags, uint32_t *pid);
BERTH_IMPORT("berth", "waitpid")
int32_t berth_waitpid(int32_t pid, uint32_t options, int32_t *status, int32_t *ret_pid);
BERTH_IMPORT("berth", "kill") int32_t berth_kill(int32_t pid, int32_t sig);
BERTH_IMPORT("berth", "sigaction") int32_t berth_sigaction(int32_t sig, int32_t action);
BERTH_IMPORT("berth", "dup2") int32_t berth_dup2(uint32_t from, uint32_t to);
BERTH_IMPORT("berth", "uname") int32_t berth_uname(char *buf /* 6 x 65 bytes */);
BERTH_IMPORT("berth", "sethostname") int32_t berth_sethostname(const char *name, size_t len);
BERTH_IMPORT("berth", "setdomainname") int32_t berth_setdomainname(const char *name, size_t len);
BERTH_IMPORT("berth", "unshare") int32_t berth_unshare(uint32_t flags);
BERTH_IMPORT("berth", "setns") int32_t berth_setns(int32_t pid, uint32_t flags);

/* Loopback stream sockets in the caller's network namespace (127.0.0.1 only). Accept
 * with WASI's __wasi_sock_accept; read and write with read(2)/write(2). */
BERTH_IMPORT("berth", "sock_listen") int32_t berth_sock_listen(uint32_t port, uint32_t backlog, uint32_t *fd);
BERTH_IMPORT("berth", "sock_connect") int32_t berth_sock_connect(uint32_t port, uint32_t *fd);

/* mount(2) family; strings as (pointer, length). flags: BERTH_MS_*. */
#define BERTH_MS_RDONLY 1
#define BERTH_MS_REMOUNT 32
#define BERTH_MS_BIND 4096
#define BERTH_MS_REC 16384
#define BERTH_MNT_DETACH 2 /* umount flag: also everything mounted below (umount -l) */
BERTH_IMPORT("berth", "mount")
int32_t berth_mount(const char *source, size_t source_len, const char *target, size_t target_len,
                    const char *fstype, size_t fstype_len, uint32_t flags, const char *data, size_t data_len);
BERTH_IMPORT("berth", "umount") int32_t berth_umount(const char *target, size_t len, uint32_t flags);
BERTH_IMPORT("berth", "pivot_root")
int32_t berth_pivot_root(const char *new_root, size_t new_len, const char *put_old, size_t old_len);
BERTH_IMPORT("berth", "chroot") int32_t berth_chroot(const char *path, size_t len);

/* statfs(2): the filesystem holding path (f_type is Linux's magic number, e.g. 0x01021994
 * for tmpfs; sizes in bsize blocks). */
struct berth_statfs {
  uint64_t type, bsize, blocks, bfree, bavail, files, ffree;
};
BERTH_IMPORT("berth", "statfs") int32_t berth_statfs(const char *path, size_t len, struct berth_statfs *st);

/* Linux stat fields WASI does not have; ids as the caller's user namespace shows them. */
struct berth_stat {
  uint64_t dev, ino;
  uint32_t mode, nlink, uid, gid;
  uint64_t rdev;
  int64_t size;
  uint32_t blksize, pad;
  int64_t blocks;
  int64_t atime_ns, mtime_ns, ctime_ns;
};
#define BERTH_AT_SYMLINK_NOFOLLOW 0x100
BERTH_IMPORT("berth", "fstatat")
int32_t berth_fstatat(int32_t dirfd, const char *path, size_t len, uint32_t flags, struct berth_stat *st);
BERTH_IMPORT("berth", "fchmodat")
int32_t berth_fchmodat(int32_t dirfd, const char *path, size_t len, uint32_t mode, uint32_t flags);
BERTH_IMPORT("berth", "fchownat")
int32_t berth_fchownat(int32_t dirfd, const char *path, size_t len, int32_t uid, int32_t gid, uint32_t flags);

/* These return the value itself. */
BERTH_IMPORT("berth", "umask") uint32_t berth_umask(uint32_t mask);
BERTH_IMPORT("berth", "getpid") int32_t berth_getpid(void);
BERTH_IMPORT("berth", "getppid") int32_t berth_getppid(void);
BERTH_IMPORT("berth", "getuid") int32_t berth_getuid(void);
BERTH_IMPORT("berth", "getgid") int32_t berth_getgid(void);
BERTH_IMPORT("berth", "geteuid") int32_t berth_geteuid(void);
BERTH_IMPORT("berth", "getegid") int32_t berth_getegid(void);
BERTH_IMPORT("berth", "setuid") int32_t berth_setuid(uint32_t uid);
BERTH_IMPORT("berth", "setgid") int32_t berth_setgid(uint32_t gid);

#define BERTH_WNOHANG 1
#define BERTH_SIG_DFL 0
#define BERTH_SIG_IGN 1
#define BERTH_SIG_CATCH 2

#define BERTH_CLONE_NEWNS 0x00020000
#define BERTH_CLONE_NEWCGROUP 0x02000000
#define BERTH_CLONE_NEWUTS 0x04000000
#define BERTH_CLONE_NEWIPC 0x08000000
#define BERTH_CLONE_NEWUSER 0x10000000
#define BERTH_CLONE_NEWPID 0x20000000
#define BERTH_CLONE_NEWNET 0x40000000

/* wait status decoding, as <sys/wait.h> */
#define BERTH_WIFEXITED(s) (((s) & 0x7f) == 0)
#define BERTH_WEXITSTATUS(s) (((s) >> 8) & 0xff)
#define BERTH_WIFSIGNALED(s) (((s) & 0x7f) != 0)
#define BERTH_WTERMSIG(s) ((s) & 0x7f)

/* Terminals and job control (src/kernel/tty). A terminal fd is a WASI character device;
 * these fail with ENOTTY (WASI errno 59) on any other fd. Flag bits and c_cc indices are
 * Linux's termios ones (ICANON 0x2, ECHO 0x8, ISIG 0x1, VMIN 6, …). Group and session
 * ids are pids in the caller's pid namespace; pid 0 means the caller. */
struct berth_termios {
  uint32_t iflag, oflag, cflag, lflag;
  uint8_t cc[20];
};
struct berth_winsize {
  uint16_t rows, cols, xpixel, ypixel;
};
BERTH_IMPORT("berth", "tcgetattr") int32_t berth_tcgetattr(int32_t fd, struct berth_termios *t);
/* when: 0 TCSANOW, 1 TCSADRAIN, 2 TCSAFLUSH (also discards what was typed) */
BERTH_IMPORT("berth", "tcsetattr") int32_t berth_tcsetattr(int32_t fd, int32_t when, const struct berth_termios *t);
BERTH_IMPORT("berth", "tcgetwinsize") int32_t berth_tcgetwinsize(int32_t fd, struct berth_winsize *ws);
BERTH_IMPORT("berth", "tcgetpgrp") int32_t berth_tcgetpgrp(int32_t fd, int32_t *pgid);
BERTH_IMPORT("berth", "tcsetpgrp") int32_t berth_tcsetpgrp(int32_t fd, int32_t pgid);
BERTH_IMPORT("berth", "setpgid") int32_t berth_setpgid(int32_t pid, int32_t pgid);
BERTH_IMPORT("berth", "getpgid") int32_t berth_getpgid(int32_t pid, int32_t *pgid);
BERTH_IMPORT("berth", "getsid") int32_t berth_getsid(int32_t pid, int32_t *sid);
BERTH_IMPORT("berth", "setsid") int32_t berth_setsid(int32_t *sid);

#endif
