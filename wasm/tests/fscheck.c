/*
 * fscheck: filesystem and process checks for a WASI preview1 host, printing TAP-like
 * lines "ok N - name" or "not ok N - name: detail". Expects a writable preopen at "/"
 * and an empty or missing "/w". Exits with 3 through exit() when every check ran.
 * Usage: fscheck [args...]   (argv and the FSCHECK environment variable are echoed)
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int n;

static void check(int cond, const char *name, const char *detail) {
  n++;
  if (cond)
    printf("ok %d - %s\n", n, name);
  else
    printf("not ok %d - %s: %s (errno %d %s)\n", n, name, detail, errno, strerror(errno));
}

static int write_file(const char *path, const char *s) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return -1;
  ssize_t w = write(fd, s, strlen(s));
  close(fd);
  return w == (ssize_t)strlen(s) ? 0 : -1;
}

static int read_file(const char *path, char *buf, size_t size) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  ssize_t r = read(fd, buf, size - 1);
  close(fd);
  if (r < 0) return -1;
  buf[r] = 0;
  return (int)r;
}

static int has_entry(const char *dir, const char *name) {
  DIR *d = opendir(dir);
  if (!d) return -1;
  struct dirent *e;
  int found = 0;
  while ((e = readdir(d)) != NULL)
    if (strcmp(e->d_name, name) == 0) found = 1;
  closedir(d);
  return found;
}

int main(int argc, char **argv) {
  char buf[256];
  struct stat st;
  int fd, fd2;

  /* args and environment */
  check(argc == 3 && strcmp(argv[1], "alpha") == 0 && strcmp(argv[2], "beta gamma") == 0, "argv", "unexpected argv");
  const char *env = getenv("FSCHECK");
  check(env != NULL && strcmp(env, "yes=1") == 0, "environ", "FSCHECK not yes=1");

  /* directories */
  check(mkdir("/w", 0755) == 0, "mkdir /w", "mkdir failed");
  check(stat("/w", &st) == 0 && S_ISDIR(st.st_mode), "stat dir type", "not a dir");
  check(mkdir("/w", 0755) == -1 && errno == EEXIST, "mkdir existing EEXIST", "wrong result");

  /* create, write, read */
  check(write_file("/w/a.txt", "hello world") == 0, "create and write", "write failed");
  check(read_file("/w/a.txt", buf, sizeof buf) == 11 && strcmp(buf, "hello world") == 0, "read back", buf);
  check(stat("/w/a.txt", &st) == 0 && st.st_size == 11 && S_ISREG(st.st_mode), "stat size and type", "bad stat");
  check(open("/w/missing", O_RDONLY) == -1 && errno == ENOENT, "open missing ENOENT", "wrong result");

  /* O_EXCL, O_TRUNC, O_APPEND */
  check(open("/w/a.txt", O_WRONLY | O_CREAT | O_EXCL, 0644) == -1 && errno == EEXIST, "O_EXCL existing EEXIST", "wrong");
  fd = open("/w/a.txt", O_WRONLY | O_APPEND);
  check(fd >= 0 && write(fd, "!", 1) == 1, "O_APPEND write", "append failed");
  if (fd >= 0) close(fd);
  check(read_file("/w/a.txt", buf, sizeof buf) == 12 && strcmp(buf, "hello world!") == 0, "O_APPEND content", buf);
  fd = open("/w/a.txt", O_WRONLY | O_TRUNC);
  check(fd >= 0 && fstat(fd, &st) == 0 && st.st_size == 0, "O_TRUNC empties", "not empty");
  if (fd >= 0) close(fd);

  /* seeking, holes, pread/pwrite */
  fd = open("/w/hole", O_RDWR | O_CREAT, 0644);
  check(fd >= 0 && lseek(fd, 100, SEEK_SET) == 100, "lseek past EOF", "lseek failed");
  check(write(fd, "X", 1) == 1 && fstat(fd, &st) == 0 && st.st_size == 101, "write after hole", "size wrong");
  {
    char h[101];
    ssize_t r = pread(fd, h, sizeof h, 0);
    int zeros = r == 101;
    for (int i = 0; zeros && i < 100; i++) zeros = h[i] == 0;
    check(zeros && h[100] == 'X', "hole reads zeros", "non-zero byte");
  }
  check(lseek(fd, 0, SEEK_CUR) == 101, "lseek SEEK_CUR (tell)", "wrong offset");
  check(lseek(fd, -1, SEEK_END) == 100, "lseek SEEK_END", "wrong offset");
  check(pwrite(fd, "ab", 2, 10) == 2 && pread(fd, buf, 2, 10) == 2 && memcmp(buf, "ab", 2) == 0, "pwrite/pread", "mismatch");
  check(lseek(fd, 0, SEEK_CUR) == 100, "pwrite keeps offset", "offset moved");
  check(ftruncate(fd, 5) == 0 && fstat(fd, &st) == 0 && st.st_size == 5, "ftruncate", "size wrong");
  check(lseek(fd, -10, SEEK_SET) == -1 && errno == EINVAL, "lseek negative EINVAL", "wrong");
  check(fsync(fd) == 0 && fdatasync(fd) == 0, "fsync/fdatasync", "failed");
  close(fd);

  /* fd reuse: lowest free fd */
  fd = open("/w/a.txt", O_RDONLY);
  fd2 = open("/w/a.txt", O_RDONLY);
  close(fd);
  {
    int fd3 = open("/w/hole", O_RDONLY);
    check(fd3 == fd, "fd reuse lowest free", "different fd");
    close(fd3);
  }
  close(fd2);
  check(close(fd2) == -1 && errno == EBADF, "close twice EBADF", "wrong");

  /* symlinks */
  check(symlink("a.txt", "/w/link") == 0, "symlink", "failed");
  check(lstat("/w/link", &st) == 0 && S_ISLNK(st.st_mode), "lstat symlink type", "not a link");
  {
    ssize_t r = readlink("/w/link", buf, sizeof buf);
    check(r == 5 && memcmp(buf, "a.txt", 5) == 0, "readlink", "wrong target");
  }
  check(write_file("/w/a.txt", "via") == 0 && read_file("/w/link", buf, sizeof buf) == 3 && strcmp(buf, "via") == 0,
        "read through symlink", buf);

  /* .. */
  check(mkdir("/w/sub", 0755) == 0 && write_file("/w/sub/../dotdot", "dd") == 0 && stat("/w/dotdot", &st) == 0,
        "dotdot in path", "not found");

  /* hard links */
  check(link("/w/a.txt", "/w/hard") == 0 && stat("/w/a.txt", &st) == 0 && st.st_nlink == 2, "hard link nlink 2",
        "nlink wrong");

  /* unlink while open */
  fd = open("/w/hard", O_RDONLY);
  check(fd >= 0 && unlink("/w/hard") == 0 && unlink("/w/a.txt") == 0, "unlink open file", "unlink failed");
  check(read(fd, buf, 3) == 3 && memcmp(buf, "via", 3) == 0, "read after unlink", "read failed");
  check(stat("/w/a.txt", &st) == -1 && errno == ENOENT, "unlinked gone", "still there");
  close(fd);

  /* rename over existing */
  write_file("/w/r1", "one");
  write_file("/w/r2", "two");
  check(rename("/w/r1", "/w/r2") == 0 && read_file("/w/r2", buf, sizeof buf) == 3 && strcmp(buf, "one") == 0,
        "rename over existing", buf);
  check(stat("/w/r1", &st) == -1 && errno == ENOENT, "rename source gone", "still there");

  /* rmdir */
  check(rmdir("/w/sub") == 0, "rmdir empty", "failed");
  check(rmdir("/w") == -1 && errno == ENOTEMPTY, "rmdir non-empty ENOTEMPTY", "wrong");
  check(unlink("/w") == -1 && (errno == EISDIR || errno == EPERM), "unlink dir fails", "wrong");

  /* readdir while entries change */
  mkdir("/w/d", 0755);
  for (int i = 0; i < 20; i++) {
    snprintf(buf, sizeof buf, "/w/d/f%02d", i);
    write_file(buf, "x");
  }
  {
    DIR *d = opendir("/w/d");
    int count = 0, ok = d != NULL;
    struct dirent *e;
    int removed = 0;
    while (ok && (e = readdir(d)) != NULL) {
      if (e->d_name[0] == '.') continue;
      count++;
      if (!removed) {
        unlink("/w/d/f19");
        write_file("/w/d/new", "n");
        removed = 1;
      }
    }
    if (d) closedir(d);
    /* 20 original names; f19 may or may not be seen, "new" may or may not be seen */
    check(ok && count >= 19 && count <= 21, "readdir while changing", "count out of range");
  }
  check(has_entry("/w/d", "new") == 1 && has_entry("/w/d", "f19") == 0, "readdir after change", "wrong listing");

  /* timestamps */
  {
    struct timespec ts[2] = {{1000000, 0}, {2000000, 500}};
    check(utimensat(AT_FDCWD, "/w/r2", ts, 0) == 0 && stat("/w/r2", &st) == 0 && st.st_mtim.tv_sec == 2000000,
          "utimensat mtime", "wrong mtime");
  }

  /* clocks and randomness */
  {
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    struct timespec sl = {0, 2000000};
    nanosleep(&sl, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    long long d = (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
    check(d >= 1000000, "monotonic clock advances over sleep", "no progress");
    clock_gettime(CLOCK_REALTIME, &a);
    check(a.tv_sec > 1500000000, "realtime clock", "before 2017");
  }
  {
    unsigned char r1[32] = {0}, r2[32] = {0};
    check(getentropy(r1, 32) == 0 && getentropy(r2, 32) == 0 && memcmp(r1, r2, 32) != 0, "getentropy", "same bytes");
  }

  /* stdio */
  check(fprintf(stderr, "fscheck: stderr works\n") > 0, "stderr", "failed");
  printf("1..%d\n", n);
  fflush(stdout);
  exit(3);
}
