/*
 * date [-uR] [-I[SPEC]] [-d TIME] [-D FMT] [-r FILE] [+FORMAT] [TIME], with busybox's
 * TIME formats (@seconds, hh:mm[:ss], [YYYY.]MM.DD-hh:mm[:ss], YYYY-MM-DD [hh:mm[:ss]],
 * [[[[[YY]YY]MM]DD]hh]mm[.ss]). Setting the clock is not possible on berth (WASI has no
 * call for it), and the native build does not try either.
 */
#define _GNU_SOURCE /* timegm, strptime */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "sysapplets.h"
#include "toolbox.h"

static int utc;

/* With -u, localtime in TZ=UTC: glibc's gmtime names the zone "GMT", busybox shows "UTC". */
static struct tm *broken_down(time_t t) {
#ifdef __wasi__
  return utc ? gmtime(&t) : localtime(&t);
#else
  return localtime(&t);
#endif
}
static time_t from_tm(struct tm *tm) {
  tm->tm_isdst = -1;
  return utc ? timegm(tm) : mktime(tm);
}

/* Up to N digits as a number; the count read in *len. */
static int digits(const char **s, int n, int *out) {
  int v = 0, k = 0;
  while (k < n && isdigit((unsigned char)(*s)[k])) v = v * 10 + ((*s)[k++] - '0');
  *s += k;
  *out = v;
  return k;
}

/* "hh:mm[:ss]" at S, which must end the text. */
static int clock_time(const char *s, struct tm *tm) {
  int h, m, sec = 0;
  if (!digits(&s, 2, &h) || *s++ != ':' || !digits(&s, 2, &m)) return 0;
  if (*s == ':' && (s++, !digits(&s, 2, &sec))) return 0;
  if (*s) return 0;
  tm->tm_hour = h, tm->tm_min = m, tm->tm_sec = sec;
  return 1;
}

/* [[[[[YY]YY]MM]DD]hh]mm[.ss]: digits from the right; 'date TIME' sets MMDDhhmm[[YY]YY][.ss]. */
static int digit_time(const char *s, struct tm *tm, int set_form) {
  size_t n = strspn(s, "0123456789");
  const char *rest = s + n;
  int sec = 0;
  if (*rest == '.') {
    rest++;
    if (strlen(rest) != 2 || !digits(&rest, 2, &sec)) return 0;
  } else if (*rest)
    return 0;
  if (n % 2 || n < 2 || n > 12) return 0;
  int v[6], k = (int)n / 2;
  for (int i = 0; i < k; i++) digits(&s, 2, &v[i]);
  int *x = v;
  if (set_form) {
    if (k < 4) return 0;
    tm->tm_mon = x[0] - 1, tm->tm_mday = x[1], tm->tm_hour = x[2], tm->tm_min = x[3];
    if (k == 5) tm->tm_year = x[4] < 69 ? x[4] + 100 : x[4];
    if (k == 6) tm->tm_year = x[4] * 100 + x[5] - 1900;
  } else {
    if (k == 6) tm->tm_year = x[0] * 100 + x[1] - 1900, x += 2, k -= 2;
    else if (k == 5) tm->tm_year = x[0] < 69 ? x[0] + 100 : x[0], x++, k--;
    if (k == 4) tm->tm_mon = x[0] - 1, x++, k--;
    if (k == 3) tm->tm_mday = x[0], x++, k--;
    if (k == 2) tm->tm_hour = x[0], x++, k--;
    tm->tm_min = x[0];
  }
  tm->tm_sec = sec;
  return 1;
}

/* TIME as busybox reads it; 0 if it is not one of its forms. */
static int parse_time(const char *text, time_t now, const char *fmt, int set_form, time_t *out) {
  while (isspace((unsigned char)*text)) text++;
  struct tm tm = *broken_down(now);
  tm.tm_sec = 0;
  const char *s = text;
  int y, mo, d;
  if (fmt) {
    memset(&tm, 0, sizeof tm);
    tm.tm_mday = 1;
    const char *end = strptime(text, fmt, &tm);
    if (!end || *end) return 0;
  } else if (*s == '@') {
    s++;
    if (!isdigit((unsigned char)*s)) return 0;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end || errno) return 0;
    *out = (time_t)v;
    return 1;
  } else if (strchr(s, '-') && digits(&s, 4, &y) && *s == '-') {
    /* YYYY-MM-DD [hh:mm[:ss]] */
    s++;
    if (!digits(&s, 2, &mo) || *s++ != '-' || !digits(&s, 2, &d)) return 0;
    tm.tm_year = y - 1900, tm.tm_mon = mo - 1, tm.tm_mday = d;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    if (*s == ' ') {
      while (*s == ' ') s++;
      if (!clock_time(s, &tm)) return 0;
    } else if (*s)
      return 0;
  } else if ((s = text, strchr(s, '.') && strchr(s, '-'))) {
    /* [YYYY.]MM.DD-hh:mm[:ss] */
    int a, b, c;
    if (!digits(&s, 4, &a) || *s++ != '.' || !digits(&s, 2, &b)) return 0;
    if (*s == '.') {
      s++;
      if (!digits(&s, 2, &c)) return 0;
      tm.tm_year = a - 1900, tm.tm_mon = b - 1, tm.tm_mday = c;
    } else
      tm.tm_mon = a - 1, tm.tm_mday = b;
    if (*s++ != '-' || !clock_time(s, &tm)) return 0;
  } else if (strchr(text, ':')) {
    if (!clock_time(text, &tm)) return 0;
  } else if (!digit_time(text, &tm, set_form))
    return 0;
  if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
      tm.tm_sec > 60)
    return 0;
  *out = from_tm(&tm);
  return 1;
}

/* strftime, with the zone as "+hh:mm" for -I (%:z is not everywhere). */
static void print_time(const char *fmt, time_t t) {
  struct tm *tm = broken_down(t);
  char out[4096], zone[16];
  if (!strftime(out, sizeof out, fmt, tm)) out[0] = 0;
  char *colon = strstr(out, "%:z");
  if (colon) {
    strftime(zone, sizeof zone, "%z", tm);
    snprintf(colon, sizeof out - (size_t)(colon - out), "%.3s:%s", zone, zone + 3);
  }
  puts(out);
}

#define DATE_USAGE "date [OPTIONS] [+FMT] [[-s] TIME]"

int applet_date(int argc, char **argv) {
  const char *when = NULL, *set = NULL, *parse_fmt = NULL, *ref = NULL, *fmt = NULL;
  const char *iso = NULL;
  int rfc = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (a[0] == '+') {
      fmt = a + 1;
    } else if (a[0] != '-' || !a[1]) {
      set = a;
    } else if (!strcmp(a, "--")) {
      continue;
    } else
      for (const char *o = a + 1; *o; o++) {
        /* options with a value take the rest of the word or the next argument */
        const char **slot = *o == 'd' ? &when : *o == 's' ? &set : *o == 'D' ? &parse_fmt : *o == 'r' ? &ref : NULL;
        if (slot) {
          if (o[1]) *slot = o + 1;
          else if (i + 1 < argc) *slot = argv[++i];
          else {
            tb_error("option requires an argument -- '%c'", *o);
            return usage_error(DATE_USAGE);
          }
          break;
        }
        if (*o == 'u') utc = 1;
        else if (*o == 'R') rfc = 1;
        else if (*o == 'I') {
          iso = o + 1;
          break;
        } else {
          tb_error("invalid option -- '%c'", *o);
          return usage_error(DATE_USAGE);
        }
      }
  }
#ifndef __wasi__ /* wasi-libc knows no time zones: its local time is UTC */
  if (utc) setenv("TZ", "UTC", 1), tzset(); /* "UTC0" would name the zone GMT */
#endif
  time_t t = time(NULL);
  if (ref) {
    struct stat st;
    if (stat(ref, &st)) {
      tb_error("can't stat '%s': %s", ref, strerror(errno));
      return 1;
    }
    t = st.st_mtime;
  }
  if (when && !parse_time(when, t, parse_fmt, 0, &t)) {
    tb_error("invalid date '%s'", when);
    return 1;
  }
  if (set) {
    time_t to;
    if (!parse_time(set, t, parse_fmt, 1, &to)) {
      tb_error("invalid date '%s'", set);
      return 1;
    }
    /* the clock belongs to the host: berth gives programs no way to set it */
    tb_error("can't set date: %s", strerror(EPERM));
    return 1;
  }
  if (!fmt) {
    if (rfc) fmt = "%a, %d %b %Y %H:%M:%S %z";
    else if (iso) {
      static const char *const specs[][2] = {{"", "%Y-%m-%d"},
                                             {"date", "%Y-%m-%d"},
                                             {"hours", "%Y-%m-%dT%H%:z"},
                                             {"minutes", "%Y-%m-%dT%H:%M%:z"},
                                             {"seconds", "%Y-%m-%dT%H:%M:%S%:z"},
                                             {"ns", "%Y-%m-%dT%H:%M:%S,000000000%:z"}};
      for (size_t k = 0; k < sizeof specs / sizeof specs[0] && !fmt; k++)
        if (!strcmp(specs[k][0], iso[0] == '=' ? iso + 1 : iso)) fmt = specs[k][1];
      if (!fmt) {
        tb_error("invalid argument '%s' for '%s'", iso, "-I");
        return 1;
      }
    } else
      fmt = "%a %b %e %H:%M:%S %Z %Y";
  }
  /* "%%:z" is passed on for print_time, %N (not in busybox's build) stays as it is */
  char buf[4096];
  size_t n = 0;
  for (const char *p = fmt; *p && n + 4 < sizeof buf; p++) {
    if (p[0] == '%' && p[1] == ':' && p[2] == 'z') buf[n++] = '%', buf[n++] = '%', buf[n++] = ':', buf[n++] = 'z', p += 2;
    else if (p[0] == '%' && p[1] == 'N') buf[n++] = '%', buf[n++] = '%', buf[n++] = 'N', p++;
    else if (p[0] == '%' && p[1] == '%') buf[n++] = '%', buf[n++] = '%', p++;
    else if (p[0] == '%' && (p[1] == 'P' || p[1] == 'k' || p[1] == 'l')) {
      /* GNU's am/pm and space-padded hours, which wasi-libc's strftime lacks */
      int h = broken_down(t)->tm_hour;
      if (p[1] == 'P') buf[n++] = h < 12 ? 'a' : 'p', buf[n++] = 'm';
      else n += (size_t)snprintf(buf + n, 3, "%2d", p[1] == 'k' ? h : h % 12 ? h % 12 : 12);
      p++;
    }
    else buf[n++] = *p;
  }
  buf[n] = 0;
  print_time(buf, t);
  return 0;
}
