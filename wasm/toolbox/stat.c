/*
 * stat [-L] [-t] [-c FORMAT] FILE...: busybox's default layout, its terse line, and the
 * file % sequences of -c (with printf flags and widths). -f (filesystems) is not here.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "names.h"
#include "toolbox.h"

#define S_TYPE(m) ((m) & 0170000)

static unsigned dev_major(uint64_t d) { return (unsigned)(((d >> 8) & 0xfff) | ((d >> 32) & ~0xfffu)); }
static unsigned dev_minor(uint64_t d) { return (unsigned)((d & 0xff) | ((d >> 12) & ~0xffu)); }

static const char *type_name(const struct sys_stat *st) {
  switch (S_TYPE(st->mode)) {
  case 0100000: return st->size ? "regular file" : "regular empty file";
  case 0040000: return "directory";
  case 0120000: return "symbolic link";
  case 0020000: return "character special file";
  case 0060000: return "block special file";
  case 0010000: return "fifo";
  case 0140000: return "socket";
  default: return "weird file";
  }
}

/* "2020-01-02 03:04:05.000000000 +0000" */
static void format_time(int64_t ns, char *buf, size_t len) {
  time_t t = (time_t)(ns / 1000000000);
  long frac = (long)(ns % 1000000000);
  if (frac < 0) t--, frac += 1000000000;
  struct tm *tm = localtime(&t);
  char date[32], zone[8];
  if (!tm) {
    snprintf(buf, len, "?");
    return;
  }
  strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S", tm);
  strftime(zone, sizeof zone, "%z", tm);
  snprintf(buf, len, "%s.%09ld %s", date, frac, zone);
}

/* NAME, or 'NAME' -> 'TARGET' for a symlink not followed. */
static void quoted_name(const char *name, const struct sys_stat *st, int follow, char *buf, size_t len) {
  char target[4096];
  ssize_t n = -1;
  if (!follow && S_TYPE(st->mode) == 0120000) n = readlink(name, target, sizeof target - 1);
  if (n < 0) {
    snprintf(buf, len, "%s", name);
    return;
  }
  target[n] = 0;
  snprintf(buf, len, "'%s' -> '%s'", name, target);
}

static const char *owner(const char *name) { return name ? name : "UNKNOWN"; }

/* One -c sequence: SPEC holds the flags and width ("%-10"), C the letter. */
static void print_seq(char *spec, size_t sl, char c, const char *name, const struct sys_stat *st, int follow) {
  char sbuf[4200];
  const char *s = NULL;
  unsigned long long u = 0;
  const char *conv = "llu";
  switch (c) {
  case 'a': u = st->mode & 07777, conv = "llo"; break;
  case 'A': names_mode(st->mode, sbuf), s = sbuf; break;
  case 'b': u = (unsigned long long)st->blocks; break;
  case 'B': u = 512; break;
  case 'd': u = st->dev; break;
  case 'D': u = st->dev, conv = "llx"; break;
  case 'f': u = st->mode, conv = "llx"; break;
  case 'F': s = type_name(st); break;
  case 'g': u = st->gid; break;
  case 'G': s = owner(names_group(st->gid)); break;
  case 'h': u = st->nlink; break;
  case 'i': u = st->ino; break;
  case 'n': s = name; break;
  case 'N': quoted_name(name, st, follow, sbuf, sizeof sbuf), s = sbuf; break;
  case 'o': u = st->blksize; break;
  case 's': u = (unsigned long long)st->size; break;
  case 't': u = dev_major(st->rdev), conv = "llx"; break;
  case 'T': u = dev_minor(st->rdev), conv = "llx"; break;
  case 'u': u = st->uid; break;
  case 'U': s = owner(names_user(st->uid)); break;
  case 'x': format_time(st->atime_ns, sbuf, sizeof sbuf), s = sbuf; break;
  case 'X': u = (unsigned long long)(st->atime_ns / 1000000000); break;
  case 'y': format_time(st->mtime_ns, sbuf, sizeof sbuf), s = sbuf; break;
  case 'Y': u = (unsigned long long)(st->mtime_ns / 1000000000); break;
  case 'z': format_time(st->ctime_ns, sbuf, sizeof sbuf), s = sbuf; break;
  case 'Z': u = (unsigned long long)(st->ctime_ns / 1000000000); break;
  default: sbuf[0] = c, sbuf[1] = 0, s = sbuf; /* unknown: the letter itself */
  }
  char fmt[64];
  snprintf(fmt, sizeof fmt, "%.*s%s", (int)sl, spec, s ? "s" : conv);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  if (s) printf(fmt, s);
  else printf(fmt, u);
#pragma GCC diagnostic pop
}

static void print_format(const char *f, const char *name, const struct sys_stat *st, int follow) {
  for (; *f; f++) {
    if (*f != '%') {
      putchar(*f);
      continue;
    }
    size_t sl = 1 + strspn(f + 1, "#-+ '0123456789.");
    if (sl > 30) sl = 30;
    char c = f[sl];
    if (!c) { /* a lone % at the end stays */
      putchar('%');
      return;
    }
    if (c == '%') putchar('%');
    else print_seq((char *)f, sl, c, name, st, follow);
    f += sl;
  }
  putchar('\n');
}

static void print_default(const char *name, const struct sys_stat *st, int follow) {
  char buf[4200], mode[11];
  quoted_name(name, st, follow, buf, sizeof buf);
  printf("  File: %s\n", buf);
  printf("  Size: %-10lld\tBlocks: %-10lld IO Block: %-6u %s\n", (long long)st->size, (long long)st->blocks,
         st->blksize, type_name(st));
  printf("Device: %llxh/%llud\tInode: %-10llu  Links: ", (unsigned long long)st->dev,
         (unsigned long long)st->dev, (unsigned long long)st->ino);
  if (S_TYPE(st->mode) == 0020000 || S_TYPE(st->mode) == 0060000)
    printf("%-5u Device type: %u,%u", st->nlink, dev_major(st->rdev), dev_minor(st->rdev));
  else
    printf("%u", st->nlink);
  names_mode(st->mode, mode);
  printf("\nAccess: (%04o/%10.10s)  Uid: (%5u/%8s)   Gid: (%5u/%8s)\n", st->mode & 07777, mode, st->uid,
         owner(names_user(st->uid)), st->gid, owner(names_group(st->gid)));
  format_time(st->atime_ns, buf, sizeof buf);
  printf("Access: %s\n", buf);
  format_time(st->mtime_ns, buf, sizeof buf);
  printf("Modify: %s\n", buf);
  format_time(st->ctime_ns, buf, sizeof buf);
  printf("Change: %s\n", buf);
}

int applet_stat(int argc, char **argv) {
  const char *format = NULL;
  int follow = 0, terse = 0, opt;
  opterr = 0;
  while ((opt = getopt(argc, argv, "c:Lt")) != -1) {
    if (opt == 'c') format = optarg;
    else if (opt == 'L') follow = 1;
    else if (opt == 't') terse = 1;
    else {
      tb_error(optopt == 'c' ? "option requires an argument -- '%c'" : "invalid option -- '%c'", optopt);
      fputs("Usage: stat [-ltf] [-c FMT] FILE...\n", stderr);
      return 1;
    }
  }
  if (optind >= argc) {
    fputs("Usage: stat [-ltf] [-c FMT] FILE...\n", stderr);
    return 1;
  }
  if (terse && !format) format = "%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %o";
  int status = 0;
  for (int i = optind; i < argc; i++) {
    struct sys_stat st;
    if ((follow ? sys_stat : sys_lstat)(argv[i], &st)) {
      tb_error("can't stat '%s': %s", argv[i], strerror(errno));
      status = 1;
      continue;
    }
    if (format) print_format(format, argv[i], &st, follow);
    else print_default(argv[i], &st, follow);
  }
  return status;
}
