/* tail: the last lines or bytes of files, or from a line or byte on; -f follows growing
 * files by polling, as busybox's. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "text_usage.h"
#include "textopt.h"
#include "toolbox.h"

/* N with busybox's b/k/m multipliers; -1 when it is not a number. */
static long long tail_count(const char *s) {
  char *end;
  errno = 0;
  long long n = strtoll(s, &end, 10);
  if (end == s || errno || n < 0) return -1;
  if (*end == 'b') n *= 512, end++;
  else if (*end == 'k') n *= 1024, end++;
  else if (*end == 'm') n *= 1024 * 1024, end++;
  return *end ? -1 : n;
}

/* All of fd, read to its end. */
static char *tail_slurp(int fd, size_t *len) {
  size_t cap = 65536, n = 0;
  char *buf = tb_malloc(cap);
  ssize_t r;
  for (;;) {
    if (n == cap) buf = tb_realloc(buf, cap *= 2);
    r = read(fd, buf + n, cap - n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    n += (size_t)r;
  }
  *len = n;
  return buf;
}

static void tail_write(const char *p, size_t n) {
  fflush(stdout);
  while (n > 0) {
    ssize_t w = write(1, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return;
    p += w, n -= (size_t)w;
  }
}

/* Where the output of BUF starts: N units from its start (from_start) or its end. */
static size_t tail_start(const char *buf, size_t len, long long n, int by_line, int from_start) {
  if (!by_line) {
    if (from_start) return n > 0 && (size_t)(n - 1) < len ? (size_t)(n - 1) : (n > 0 ? len : 0);
    return (size_t)n < len ? len - (size_t)n : 0;
  }
  if (from_start) {
    size_t i = 0;
    for (long long line = 1; line < n && i < len; i++)
      if (buf[i] == '\n') line++;
    return i;
  }
  if (n == 0) return len;
  size_t i = len;
  /* a last line without a newline counts as a line */
  if (i > 0 && buf[i - 1] == '\n') i--;
  for (long long seen = 0; i > 0; i--)
    if (buf[i - 1] == '\n' && ++seen == n) break;
  return i;
}

int applet_tail(int argc, char **argv) {
  long long n = 10;
  int by_line = 1, from_start = 0, follow = 0, headers = -1, opt, status = 0;
  /* the old forms: tail -5, tail +5 */
  if (argc > 1 && (argv[1][0] == '-' || argv[1][0] == '+') && argv[1][1] >= '0' && argv[1][1] <= '9') {
    from_start = argv[1][0] == '+';
    n = tail_count(argv[1] + 1);
    if (n < 0) {
      tb_error("invalid number '%s'", argv[1] + 1);
      return 1;
    }
    argv[1] = argv[0], argv++, argc--;
  }
  textopt_permute(argc, argv, "fn:c:qsv");
  while ((opt = getopt(argc, argv, ":fn:c:qsv")) != -1) {
    if (opt == 'n' || opt == 'c') {
      by_line = opt == 'n';
      const char *s = optarg;
      from_start = *s == '+';
      if (*s == '-' || *s == '+') s++;
      n = tail_count(s);
      if (n < 0) {
        tb_error("invalid number '%s'", optarg);
        return 1;
      }
    } else if (opt == 'f') follow = 1;
    else if (opt == 'q') headers = 0;
    else if (opt == 'v') headers = 1;
    else if (opt == 's') (void)0;
    else return textopt_bad(opt, USAGE_TAIL, 1);
  }
  int nargs = optind < argc ? argc - optind : 1;
  char **names = tb_malloc(sizeof *names * (size_t)nargs);
  int *fds = tb_malloc(sizeof *fds * (size_t)nargs);
  int nfiles = 0;
  for (int i = 0; i < nargs; i++) {
    char *name = optind < argc ? argv[optind + i] : "-";
    int fd = strcmp(name, "-") ? open(name, O_RDONLY) : 0;
    if (fd < 0) {
      tb_error("can't open '%s': %s", name, strerror(errno));
      status = 1;
      continue;
    }
    names[nfiles] = name, fds[nfiles++] = fd;
  }
  if (nfiles == 0) {
    tb_error("no files");
    return 1;
  }
  if (headers < 0) headers = nfiles > 1;
  for (int i = 0; i < nfiles; i++) {
    if (headers) printf("%s==> %s <==\n", i ? "\n" : "", names[i]);
    size_t len;
    char *buf = tail_slurp(fds[i], &len);
    size_t at = tail_start(buf, len, n, by_line, from_start);
    tail_write(buf + at, len - at);
    free(buf);
  }
  if (!follow) return status;
  /* follow: poll every file for what was appended; a header when the file changes */
  int last = nfiles - 1;
  char chunk[8192];
  for (;;) {
    struct timespec ts = {0, 200 * 1000 * 1000};
    nanosleep(&ts, NULL);
    for (int i = 0; i < nfiles; i++) {
      ssize_t r;
      while ((r = read(fds[i], chunk, sizeof chunk)) > 0) {
        if (headers && i != last) printf("\n==> %s <==\n", names[i]);
        last = i;
        tail_write(chunk, (size_t)r);
      }
    }
  }
}
