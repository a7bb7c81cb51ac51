/* touch [-c] [-a] [-m] [-h] [-d DATE] [-t STAMP] [-r FILE] FILE…, with busybox's dates. */
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

/* sscanf FMT over all of S (n fields), nothing left over. */
#define WHOLE(s, fmt, n, ...) (pos = -1, sscanf(s, fmt "%n", __VA_ARGS__, &pos) == (n) && pos >= 0 && !(s)[pos])

/* busybox's date forms: @SECONDS, YYYY-MM-DD [hh:mm[:ss]], YYYY.MM.DD-hh:mm[:ss],
 * hh:mm[:ss], and [[CC]YY]MMDDhhmm[.ss]; fields not given keep the current time's. */
static int parse_date(const char *s, time_t *out) {
  time_t now = time(NULL);
  struct tm tm = *gmtime(&now);
  int pos, y, mo, d, h, mi, sec;
  long long at;
  if (s[0] == '@') {
    if (!WHOLE(s + 1, "%lld", 1, &at)) return -1;
    *out = (time_t)at;
    return 0;
  }
  if (WHOLE(s, "%d-%d-%d %d:%d:%d", 6, &y, &mo, &d, &h, &mi, &sec) ||
      WHOLE(s, "%d.%d.%d-%d:%d:%d", 6, &y, &mo, &d, &h, &mi, &sec))
    tm.tm_year = y - 1900, tm.tm_mon = mo - 1, tm.tm_mday = d, tm.tm_hour = h, tm.tm_min = mi, tm.tm_sec = sec;
  else if (WHOLE(s, "%d-%d-%d %d:%d", 5, &y, &mo, &d, &h, &mi) || WHOLE(s, "%d.%d.%d-%d:%d", 5, &y, &mo, &d, &h, &mi))
    tm.tm_year = y - 1900, tm.tm_mon = mo - 1, tm.tm_mday = d, tm.tm_hour = h, tm.tm_min = mi;
  else if (WHOLE(s, "%d-%d-%d", 3, &y, &mo, &d))
    tm.tm_year = y - 1900, tm.tm_mon = mo - 1, tm.tm_mday = d;
  else if (WHOLE(s, "%d:%d:%d", 3, &h, &mi, &sec))
    tm.tm_hour = h, tm.tm_min = mi, tm.tm_sec = sec;
  else if (WHOLE(s, "%d:%d", 2, &h, &mi))
    tm.tm_hour = h, tm.tm_min = mi;
  else {
    size_t digits = strspn(s, "0123456789");
    if (digits != 8 && digits != 10 && digits != 12) return -1;
    size_t sd = s[digits] == '.' ? strspn(s + digits + 1, "0123456789") : 0;
    if (s[digits] && (!sd || sd > 2 || s[digits + 1 + sd])) return -1;
    if (s[digits]) sec = atoi(s + digits + 1);
    int v[6], k = 0;
    for (size_t i = 0; i < digits; i += 2) v[k++] = (s[i] - '0') * 10 + (s[i + 1] - '0');
    int *md = v + (k - 4);
    if (digits == 10) tm.tm_year = v[0] < 69 ? v[0] + 100 : v[0];
    if (digits == 12) tm.tm_year = v[0] * 100 + v[1] - 1900;
    tm.tm_mon = md[0] - 1, tm.tm_mday = md[1], tm.tm_hour = md[2], tm.tm_min = md[3];
    tm.tm_sec = s[digits] ? sec : 0;
  }
  /* out-of-range fields are refused (a day past the month's end rolls over, as mktime) */
  if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour < 0 || tm.tm_hour > 23 ||
      tm.tm_min < 0 || tm.tm_min > 59 || tm.tm_sec < 0 || tm.tm_sec > 61)
    return -1;
  *out = timegm(&tm);
  return 0;
}

int applet_touch(int argc, char **argv) {
  struct fo_opts o;
  char **ops;
  int n = fo_getopt(argc, argv, "cd:t:r:ham", USAGE_TOUCH, &o, &ops);
  if (n < 0) return 1;
  if (n == 0) return fo_usage(USAGE_TOUCH);
  struct timespec times[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}};
  const char *date = o.arg['d'] ? o.arg['d'] : o.arg['t'];
  if (date) {
    time_t t;
    if (parse_date(date, &t)) {
      tb_error("invalid date '%s'", date);
      return 1;
    }
    times[0].tv_sec = times[1].tv_sec = t;
    times[0].tv_nsec = times[1].tv_nsec = 0;
  }
  if (o.arg['r']) {
    struct sys_stat st;
    if (sys_stat(o.arg['r'], &st)) {
      tb_error("can't stat '%s': %s", o.arg['r'], strerror(errno));
      return 1;
    }
    times[0].tv_sec = st.atime_ns / 1000000000, times[0].tv_nsec = st.atime_ns % 1000000000;
    times[1].tv_sec = st.mtime_ns / 1000000000, times[1].tv_nsec = st.mtime_ns % 1000000000;
  }
  if (o.seen['a'] && !o.seen['m']) times[1].tv_nsec = UTIME_OMIT;
  if (o.seen['m'] && !o.seen['a']) times[0].tv_nsec = UTIME_OMIT;
  /* "now" as a time: wasi-libc refuses UTIME_NOW and turns a NULL `times` into the epoch */
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  for (int k = 0; k < 2; k++)
    if (times[k].tv_nsec == UTIME_NOW) times[k] = now;
  const struct timespec *when = times;
  int status = 0, flags = o.seen['h'] ? AT_SYMLINK_NOFOLLOW : 0;
  for (int i = 0; i < n; i++) {
    struct sys_stat st;
    if (sys_lstat(ops[i], &st) && errno == ENOENT) {
      if (o.seen['c']) continue;
      int fd = open(ops[i], O_WRONLY | O_CREAT, 0666);
      if (fd < 0) {
        tb_error("%s: %s", ops[i], strerror(errno));
        status = 1;
        continue;
      }
      close(fd);
      fo_created(ops[i], 0666);
    }
    if (utimensat(AT_FDCWD, ops[i], when, flags)) {
      tb_error("%s: %s", ops[i], strerror(errno));
      status = 1;
    }
  }
  return status;
}
