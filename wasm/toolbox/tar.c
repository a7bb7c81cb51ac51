/*
 * tar: create (c), list (t) and extract (x) ustar archives as busybox's: -f FILE or -
 * (stdin/stdout), -v, -C DIR, -O, -h, -m, -o, -k. Writes GNU-style headers ("ustar  ",
 * ././@LongLink for long names); reads ustar, GNU long names and links, and pax paths.
 * Extraction stays inside the directory: leading '/' and '../' (and anything up to a
 * last '/../') are stripped from names as busybox does, and symlinks are made last, so
 * no member is written through a link the archive itself made.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "names.h"
#include "text_usage.h"
#include "textopt.h"
#include "toolbox.h"

struct tar_header {
  char name[100], mode[8], uid[8], gid[8], size[12], mtime[12], chksum[8], type, linkname[100];
  char magic[8], uname[32], gname[32], devmajor[8], devminor[8], prefix[155], pad[12];
};

static struct {
  int verbose, to_stdout, no_mtime, no_owner, keep_old, deref, errors;
  int fd; /* the archive */
  FILE *vout; /* where -v names go (stderr when the archive is stdout) */
} tar;

/* ---- the archive's bytes ---- */

static int tar_read_full(void *buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(tar.fd, (char *)buf + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    got += (size_t)r;
  }
  return got == n ? 1 : got == 0 ? 0 : -1;
}

static void tar_write_full(const void *buf, size_t n) {
  const char *p = buf;
  while (n > 0) {
    ssize_t w = write(tar.fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      tb_perror("write");
      exit(1);
    }
    p += w, n -= (size_t)w;
  }
}

static void tar_die(const char *msg) {
  tb_error("%s", msg);
  exit(1);
}

/* ---- names ---- */

/* NAME without what would lead outside: leading '/' and '../', and up to a last '/../'
 * (warned about once, as busybox does). */
static const char *tar_safe_name(const char *name) {
  static int warned;
  const char *p = name;
  for (;;) {
    if (*p == '/') p++;
    else if (!strncmp(p, "../", 3)) p += 3;
    else if (!strcmp(p, "..")) p += 2;
    else {
      const char *up = strstr(p, "/../");
      if (!up) break;
      p = up + 4;
    }
  }
  if (p != name && !warned) {
    warned = 1;
    tb_error("removing leading '%.*s' from member names", (int)(p - name), name);
  }
  return p;
}

/* Would NAME lead outside (absolute, or a ".." component)? */
static int tar_quiet_unsafe(const char *name) {
  if (*name == '/') return 1;
  for (const char *p = name; (p = strstr(p, "..")); p += 2)
    if ((p == name || p[-1] == '/') && (p[2] == 0 || p[2] == '/')) return 1;
  return 0;
}

/* ---- create ---- */

static void tar_octal(char *field, size_t width, uint64_t v) {
  snprintf(field, width, "%0*llo", (int)width - 1, (unsigned long long)v);
}

static void tar_checksum(struct tar_header *h) {
  memset(h->chksum, ' ', sizeof h->chksum);
  unsigned sum = 0;
  for (size_t i = 0; i < sizeof *h; i++) sum += ((unsigned char *)h)[i];
  snprintf(h->chksum, sizeof h->chksum, "%06o", sum);
  h->chksum[7] = ' ';
}

/* A GNU ././@LongLink member (type L for a name, K for a link target) holding S. */
static void tar_long(char type, const char *s) {
  struct tar_header h;
  memset(&h, 0, sizeof h);
  strcpy(h.name, "././@LongLink");
  tar_octal(h.mode, sizeof h.mode, 0);
  tar_octal(h.uid, sizeof h.uid, 0);
  tar_octal(h.gid, sizeof h.gid, 0);
  size_t n = strlen(s) + 1;
  tar_octal(h.size, sizeof h.size, n);
  tar_octal(h.mtime, sizeof h.mtime, 0);
  h.type = type;
  memcpy(h.magic, "ustar  ", 8);
  tar_checksum(&h);
  tar_write_full(&h, sizeof h);
  size_t padded = (n + 511) & ~(size_t)511;
  char *buf = calloc(1, padded);
  memcpy(buf, s, n - 1);
  tar_write_full(buf, padded);
  free(buf);
}

struct tar_link {
  uint64_t dev, ino;
  char *name;
};
static struct tar_link *tar_links;
static int tar_nlinks;

static void tar_add(const char *path, int top);

static void tar_add_dir(const char *path) {
  DIR *d = opendir(path);
  if (!d) {
    tb_error("can't open '%s': %s", path, strerror(errno));
    tar.errors = 1;
    return;
  }
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    size_t n = strlen(path);
    char *sub = tb_malloc(n + strlen(e->d_name) + 2);
    sprintf(sub, "%s%s%s", path, n && path[n - 1] == '/' ? "" : "/", e->d_name);
    tar_add(sub, 0);
    free(sub);
  }
  closedir(d);
}

static void tar_add(const char *path, int top) {
  struct sys_stat st;
  if ((tar.deref ? sys_stat(path, &st) : sys_lstat(path, &st)) < 0) {
    tb_error("%s: %s", path, strerror(errno));
    tar.errors = 1;
    return;
  }
  (void)top;
  const char *safe = tar_safe_name(path);
  unsigned type = st.mode & 0170000;
  char *name = tb_malloc(strlen(safe) + 2);
  strcpy(name, safe);
  if (type == 0040000 && *name && name[strlen(name) - 1] != '/') strcat(name, "/");
  struct tar_header h;
  memset(&h, 0, sizeof h);
  char target[4096] = "";
  int fd = -1;
  uint64_t size = 0;
  if (type == 0100000 && st.nlink > 1) {
    for (int i = 0; i < tar_nlinks; i++)
      if (tar_links[i].dev == st.dev && tar_links[i].ino == st.ino) {
        h.type = '1';
        snprintf(target, sizeof target, "%s", tar_links[i].name);
      }
    if (h.type != '1') {
      tar_links = tb_realloc(tar_links, sizeof *tar_links * (size_t)(tar_nlinks + 1));
      tar_links[tar_nlinks++] = (struct tar_link){st.dev, st.ino, tb_strdup(name)};
    }
  }
  if (h.type == '1') {
  } else if (type == 0100000) {
    if ((fd = open(path, O_RDONLY)) < 0) {
      tb_error("can't open '%s': %s", path, strerror(errno));
      tar.errors = 1;
      free(name);
      return;
    }
    h.type = '0', size = (uint64_t)st.size;
  } else if (type == 0040000) h.type = '5';
  else if (type == 0120000) {
    ssize_t n = readlink(path, target, sizeof target - 1);
    target[n > 0 ? n : 0] = 0;
    h.type = '2';
  } else if (type == 0010000) h.type = '6';
  else {
    tb_error("%s: unknown file type", path);
    tar.errors = 1;
    free(name);
    return;
  }
  if (strlen(name) >= sizeof h.name) tar_long('L', name);
  if (strlen(target) >= sizeof h.linkname) tar_long('K', target);
  /* the fields need no NUL when full (a longer name went in a LongLink) */
  memcpy(h.name, name, strlen(name) < sizeof h.name ? strlen(name) : sizeof h.name);
  memcpy(h.linkname, target, strlen(target) < sizeof h.linkname ? strlen(target) : sizeof h.linkname);
  tar_octal(h.mode, sizeof h.mode, st.mode & 07777);
  tar_octal(h.uid, sizeof h.uid, st.uid);
  tar_octal(h.gid, sizeof h.gid, st.gid);
  tar_octal(h.size, sizeof h.size, size);
  tar_octal(h.mtime, sizeof h.mtime, (uint64_t)(st.mtime_ns / 1000000000));
  memcpy(h.magic, "ustar  ", 8);
  const char *u = names_user(st.uid), *g = names_group(st.gid);
  if (u) snprintf(h.uname, sizeof h.uname, "%s", u);
  if (g) snprintf(h.gname, sizeof h.gname, "%s", g);
  tar_checksum(&h);
  if (tar.verbose) fprintf(tar.vout, "%s\n", name);
  tar_write_full(&h, sizeof h);
  if (fd >= 0) {
    static char buf[65536];
    uint64_t left = size;
    while (left > 0) {
      size_t want = left < sizeof buf ? (size_t)left : sizeof buf;
      ssize_t r = read(fd, buf, want);
      if (r <= 0) { /* the file shrank: pad with zeros, as the header promised */
        memset(buf, 0, want);
        r = (ssize_t)want;
      }
      tar_write_full(buf, (size_t)r);
      left -= (uint64_t)r;
    }
    close(fd);
    size_t pad = (512 - size % 512) % 512;
    memset(buf, 0, pad);
    tar_write_full(buf, pad);
  }
  if (type == 0040000) tar_add_dir(path);
  free(name);
}

/* ---- read ---- */

static uint64_t tar_number(const char *f, size_t n) {
  uint64_t v = 0;
  if ((unsigned char)f[0] & 0x80) { /* base-256 */
    v = (unsigned char)f[0] & 0x7f;
    for (size_t i = 1; i < n; i++) v = v << 8 | (unsigned char)f[i];
    return v;
  }
  size_t i = 0;
  while (i < n && f[i] == ' ') i++;
  for (; i < n && f[i] >= '0' && f[i] <= '7'; i++) v = v * 8 + (uint64_t)(f[i] - '0');
  return v;
}

/* The data of a member (SIZE bytes, padded to blocks) into a new string, or skipped. */
static char *tar_read_data(uint64_t size, int keep) {
  uint64_t padded = (size + 511) & ~(uint64_t)511;
  char *data = keep ? tb_malloc((size_t)size + 1) : NULL;
  char buf[512];
  for (uint64_t at = 0; at < padded; at += 512) {
    if (tar_read_full(buf, 512) != 1) tar_die("short read");
    if (keep && at < size) memcpy(data + at, buf, size - at < 512 ? (size_t)(size - at) : 512);
  }
  if (keep) data[size] = 0;
  return data;
}

/* A pax extended header's records "LEN key=value\n": path and linkpath are kept. */
static void tar_pax(const char *data, size_t n, char **path, char **linkpath) {
  const char *p = data, *end = data + n;
  while (p < end) {
    char *sp;
    long len = strtol(p, &sp, 10);
    if (len <= 0 || *sp != ' ' || p + len > end) break;
    const char *kv = sp + 1, *eq = memchr(kv, '=', (size_t)(p + len - kv));
    if (eq) {
      size_t vlen = (size_t)(p + len - 1 - (eq + 1));
      if (!strncmp(kv, "path=", 5)) free(*path), *path = strndup(eq + 1, vlen);
      else if (!strncmp(kv, "linkpath=", 9)) free(*linkpath), *linkpath = strndup(eq + 1, vlen);
    }
    p += len;
  }
}

struct tar_member {
  char *name, *link;
  char type;
  unsigned mode, uid, gid;
  uint64_t size, mtime;
  char uname[33], gname[33];
};

/* The next member's header (long names and pax records folded in); 0 at the end. */
static int tar_next(struct tar_member *m) {
  static int seen; /* an empty archive is a short read, as busybox says */
  char *long_name = NULL, *long_link = NULL;
  for (;;) {
    struct tar_header h;
    int r = tar_read_full(&h, sizeof h);
    if (r == 0 && !seen) tar_die("short read");
    seen = 1;
    if (r == 0) return 0;
    if (r < 0) tar_die("short read");
    static const char zero[512];
    if (!memcmp(&h, zero, 512)) return 0;
    if (memcmp(h.magic, "ustar", 5)) tar_die("invalid tar magic");
    unsigned sum = 0, want = (unsigned)tar_number(h.chksum, sizeof h.chksum);
    for (size_t i = 0; i < 512; i++)
      sum += i >= 148 && i < 156 ? ' ' : ((unsigned char *)&h)[i];
    if (sum != want) tar_die("invalid tar header checksum");
    uint64_t size = tar_number(h.size, sizeof h.size);
    if (h.type == 'L' || h.type == 'K') {
      char *s = tar_read_data(size, 1);
      if (h.type == 'L') free(long_name), long_name = s;
      else free(long_link), long_link = s;
      continue;
    }
    if (h.type == 'x' || h.type == 'g') {
      char *s = tar_read_data(size, 1);
      if (h.type == 'x') tar_pax(s, (size_t)size, &long_name, &long_link);
      free(s);
      continue;
    }
    m->type = h.type ? h.type : '0';
    if (long_name) m->name = long_name;
    else {
      char full[257];
      if (h.prefix[0] && !memcmp(h.magic, "ustar\0", 6))
        snprintf(full, sizeof full, "%.155s/%.100s", h.prefix, h.name);
      else
        snprintf(full, sizeof full, "%.100s", h.name);
      m->name = tb_strdup(full);
    }
    m->link = long_link ? long_link : strndup(h.linkname, sizeof h.linkname);
    m->mode = (unsigned)tar_number(h.mode, sizeof h.mode) & 07777;
    m->uid = (unsigned)tar_number(h.uid, sizeof h.uid);
    m->gid = (unsigned)tar_number(h.gid, sizeof h.gid);
    m->size = size;
    m->mtime = tar_number(h.mtime, sizeof h.mtime);
    snprintf(m->uname, sizeof m->uname, "%.32s", h.uname);
    snprintf(m->gname, sizeof m->gname, "%.32s", h.gname);
    return 1;
  }
}

static void tar_list_verbose(const struct tar_member *m) {
  char mode[11] = "----------";
  const char *types = "0-1-2l3c4b5d6p7-";
  const char *t = strchr(types, m->type);
  mode[0] = t && (t - types) % 2 == 0 ? t[1] : '-';
  for (int i = 0; i < 9; i++)
    if (m->mode & (0400u >> i)) mode[1 + i] = "rwxrwxrwx"[i];
  if (m->mode & 04000) mode[3] = mode[3] == 'x' ? 's' : 'S';
  if (m->mode & 02000) mode[6] = mode[6] == 'x' ? 's' : 'S';
  if (m->mode & 01000) mode[9] = mode[9] == 'x' ? 't' : 'T';
  char owner[80];
  if (m->uname[0] && m->gname[0]) snprintf(owner, sizeof owner, "%s/%s", m->uname, m->gname);
  else if (m->uname[0]) snprintf(owner, sizeof owner, "%s/%u", m->uname, m->gid);
  else if (m->gname[0]) snprintf(owner, sizeof owner, "%u/%s", m->uid, m->gname);
  else snprintf(owner, sizeof owner, "%u/%u", m->uid, m->gid);
  time_t when = (time_t)m->mtime;
  struct tm *tm = localtime(&when);
  printf("%s %s %9llu %04d-%02d-%02d %02d:%02d:%02d %s", mode, owner, (unsigned long long)m->size,
         tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec, m->name);
  if (m->type == '1' || m->type == '2') printf(" -> %s", m->link);
  putchar('\n');
}

/* ---- extract ---- */

/* The directories above PATH that are missing, made with 0777 less the umask (applied
 * here: berth's kernel leaves it to programs). */
static void tar_parents(const char *path, unsigned umask_now) {
  char *p = tb_strdup(path);
  for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
    *s = 0;
    if (mkdir(p, 0777) == 0) sys_chmod(p, 0777 & ~umask_now);
    *s = '/';
  }
  free(p);
}

static void tar_times(const char *path, uint64_t mtime, int nofollow) {
  struct timespec ts[2] = {{(time_t)mtime, 0}, {(time_t)mtime, 0}};
  utimensat(AT_FDCWD, path, ts, nofollow ? AT_SYMLINK_NOFOLLOW : 0);
}

struct tar_symlink {
  char *name, *target;
};
static struct tar_symlink *tar_symlinks;
static int tar_nsymlinks;

static void tar_extract(struct tar_member *m, const char *name) {
  unsigned umask_now = sys_umask(0);
  sys_umask(umask_now);
  tar_parents(name, umask_now);
  if (m->type == '5') {
    if (mkdir(name, 0700) < 0 && errno != EEXIST) {
      tb_error("can't make dir %s: %s", name, strerror(errno));
      tar.errors = 1;
      return;
    }
  } else if (m->type == '2') {
    tar_symlinks = tb_realloc(tar_symlinks, sizeof *tar_symlinks * (size_t)(tar_nsymlinks + 1));
    tar_symlinks[tar_nsymlinks++] = (struct tar_symlink){tb_strdup(name), tb_strdup(m->link)};
    return;
  } else if (m->type == '1') {
    /* a target that leads outside is refused (busybox would link it) */
    const char *target = m->link;
    int unsafe = tar_quiet_unsafe(target);
    if (!tar.keep_old) unlink(name);
    if (unsafe || link(target, name) < 0) {
      tb_error("can't create hardlink '%s' to '%s'", name, target);
      exit(1);
    }
    return;
  } else if (m->type == '0' || m->type == '7') {
    struct stat st;
    if (tar.keep_old && lstat(name, &st) == 0) {
      tb_error("can't open '%s': %s", name, strerror(EEXIST));
      tar_read_data(m->size, 0);
      return;
    }
    if (lstat(name, &st) == 0 && !S_ISDIR(st.st_mode)) unlink(name);
    int fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC, 0600);
    if (fd < 0) {
      tb_error("can't open '%s': %s", name, strerror(errno));
      exit(1);
    }
    char buf[512];
    uint64_t padded = (m->size + 511) & ~(uint64_t)511;
    for (uint64_t at = 0; at < padded; at += 512) {
      if (tar_read_full(buf, 512) != 1) tar_die("short read");
      if (at < m->size && write(fd, buf, m->size - at < 512 ? (size_t)(m->size - at) : 512) < 0) {
        tb_perror(name);
        exit(1);
      }
    }
    close(fd);
  } else {
    tar_read_data(m->size, 0);
    return;
  }
  if (!tar.no_owner && sys_geteuid() == 0) sys_chown(name, (int)m->uid, (int)m->gid, 1);
  sys_chmod(name, m->mode);
  if (!tar.no_mtime) tar_times(name, m->mtime, 0);
}

static void tar_make_symlinks(void) {
  for (int i = 0; i < tar_nsymlinks; i++) {
    struct tar_symlink *s = &tar_symlinks[i];
    struct stat st;
    if (lstat(s->name, &st) == 0 && !S_ISDIR(st.st_mode) && !tar.keep_old) unlink(s->name);
    if (symlink(s->target, s->name) < 0) {
      tb_error("can't create symlink '%s' to '%s'", s->name, s->target);
      exit(1);
    }
  }
}

/* ---- the command line ---- */

/* Does NAME match one of the operands (itself or below it)? Marks the operand found. */
static int tar_wanted(const char *name, char **ops, int nops, char *found) {
  if (!nops) return 1;
  for (int i = 0; i < nops; i++) {
    size_t n = strlen(ops[i]);
    while (n > 1 && ops[i][n - 1] == '/') n--;
    if (!strncmp(name, ops[i], n) && (name[n] == 0 || name[n] == '/')) {
      found[i] = 1;
      return 1;
    }
  }
  return 0;
}

static int tar_usage(void) { return textopt_usage(USAGE_TAR, 1); }

int applet_tar(int argc, char **argv) {
  char mode = 0;
  const char *file = NULL, *dir = NULL;
  char **ops = tb_malloc(sizeof *ops * (size_t)(argc + 1));
  int nops = 0, no_more_options = 0;
  for (int i = 1; i < argc; i++) {
    char *a = argv[i];
    /* the first argument may hold the letters without a dash (tar xvf FILE) */
    int bundle = i == 1 && a[0] != '-';
    if (no_more_options || (!bundle && (a[0] != '-' || !a[1]))) {
      ops[nops++] = a;
      continue;
    }
    if (!strcmp(a, "--")) {
      no_more_options = 1;
      continue;
    }
    if (a[0] == '-' && a[1] == '-') {
      if (!strcmp(a, "--overwrite") || !strcmp(a, "--numeric-owner")) continue;
      tb_error("unrecognized option '%s'", a);
      return tar_usage();
    }
    for (char *p = a + (bundle ? 0 : 1); *p; p++) {
      switch (*p) {
      case 'c': case 'x': case 't':
        if (mode && mode != *p) {
          tb_error("only one of c, x, t may be given");
          return tar_usage();
        }
        mode = *p;
        break;
      case 'v': tar.verbose = 1; break;
      case 'O': tar.to_stdout = 1; break;
      case 'm': tar.no_mtime = 1; break;
      case 'o': tar.no_owner = 1; break;
      case 'k': tar.keep_old = 1; break;
      case 'h': tar.deref = 1; break;
      case 'f': case 'C': {
        char *arg;
        if (!bundle && p[1]) arg = p + 1;
        else if (i + 1 < argc) arg = argv[++i];
        else {
          tb_error("option requires an argument -- '%c'", *p);
          return tar_usage();
        }
        if (*p == 'f') file = arg;
        else dir = arg;
        if (!bundle) p = arg + strlen(arg) - 1;
        break;
      }
      case 'z': case 'j': case 'J': case 'Z': case 'a':
        tb_error("compression is not supported");
        return 1;
      default:
        tb_error("invalid option -- '%c'", *p);
        return tar_usage();
      }
    }
  }
  if (!mode) return tar_usage();
  tar.vout = stdout;
  if (mode == 'c') {
    if (!nops) tar_die("empty archive");
    tar.fd = 1;
    if (file && strcmp(file, "-")) {
      tar.fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0666);
      if (tar.fd < 0) {
        tb_error("can't open '%s': %s", file, strerror(errno));
        return 1;
      }
    } else
      tar.vout = stderr;
    if (dir && sys_chdir(dir) < 0) {
      tb_error("can't change directory to '%s': %s", dir, strerror(errno));
      return 1;
    }
    for (int i = 0; i < nops; i++) tar_add(ops[i], 1);
    static const char end[1024];
    tar_write_full(end, sizeof end);
    fflush(tar.vout);
    if (tar.errors) tar_die("error exit delayed from previous errors");
    return 0;
  }
  tar.fd = 0;
  if (file && strcmp(file, "-") && (tar.fd = open(file, O_RDONLY)) < 0) {
    tb_error("can't open '%s': %s", file, strerror(errno));
    return 1;
  }
  if (dir && sys_chdir(dir) < 0) {
    tb_error("can't change directory to '%s': %s", dir, strerror(errno));
    return 1;
  }
  char *found = calloc((size_t)nops + 1, 1);
  struct tar_member m;
  while (tar_next(&m)) {
    const char *name = tar_safe_name(m.name);
    int want = *name && tar_wanted(name, ops, nops, found);
    if (want && mode == 't') {
      if (tar.verbose) tar_list_verbose(&m);
      else puts(name);
    } else if (want && tar.verbose)
      puts(name);
    if (!want || mode == 't') tar_read_data(m.size, 0);
    else if (tar.to_stdout) {
      if (m.type == '0' || m.type == '7') {
        char *data = tar_read_data(m.size, 1);
        fwrite(data, 1, (size_t)m.size, stdout);
        free(data);
      } else
        tar_read_data(m.size, 0);
    } else
      tar_extract(&m, name);
    free(m.name);
    free(m.link);
  }
  fflush(stdout);
  if (mode == 'x' && !tar.to_stdout) tar_make_symlinks();
  int status = 0;
  for (int i = 0; i < nops; i++)
    if (!found[i]) {
      tb_error("%s: not found in archive", ops[i]);
      status = 1;
    }
  if (tar.errors) tar_die("error exit delayed from previous errors");
  return status;
}
