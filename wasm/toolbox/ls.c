/*
 * ls: -1 -a -A -d -F -h -i -l -n -R, sorted by name, one name a line (as busybox prints
 * when stdout is not a terminal), `ls -l` laid out as busybox lays it out.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "names.h"
#include "toolbox.h"

#define S_TYPE(m) ((m) & 0170000)
#define T_DIR 0040000
#define T_LNK 0120000
#define T_CHR 0020000
#define T_BLK 0060000
#define T_FIFO 0010000
#define T_SOCK 0140000

static int opt_all, opt_almost, opt_dir, opt_F, opt_h, opt_ino, opt_long, opt_num, opt_R;
static int status;
static time_t now;

struct ent {
  char *name; /* as shown */
  char *path; /* to stat and open */
  struct sys_stat st;
};

static int by_name(const void *a, const void *b) {
  return strcmp(((const struct ent *)a)->name, ((const struct ent *)b)->name);
}

/* The -F mark of a file of mode MODE. */
static const char *indicator(uint32_t mode) {
  switch (S_TYPE(mode)) {
  case T_DIR: return "/";
  case T_LNK: return "@";
  case T_FIFO: return "|";
  case T_SOCK: return "=";
  default: return mode & 0111 ? "*" : "";
  }
}

/* "Mon DD HH:MM" for the last half year, "Mon DD  YYYY" for older or future times. */
static void print_time(int64_t ns) {
  time_t t = (time_t)(ns / 1000000000);
  struct tm *tm = localtime(&t);
  char buf[32];
  long long age = (long long)now - (long long)t;
  if (!tm) {
    printf("?            ");
    return;
  }
  if (age < 3600LL * 24 * 365 / 2 && age > -15 * 60) strftime(buf, sizeof buf, "%b %e %H:%M", tm);
  else strftime(buf, sizeof buf, "%b %e  %Y", tm);
  printf("%s ", buf);
}

static void print_long(const struct ent *e) {
  const struct sys_stat *st = &e->st;
  char mode[11];
  names_mode(st->mode, mode);
  printf("%-10s %4u ", mode, st->nlink);
  const char *user = opt_num ? NULL : names_user(st->uid);
  const char *group = opt_num ? NULL : names_group(st->gid);
  if (user) printf("%-8.8s ", user);
  else printf("%-8u ", st->uid);
  if (group) printf("%-8.8s ", group);
  else printf("%-8u ", st->gid);
  if (S_TYPE(st->mode) == T_CHR || S_TYPE(st->mode) == T_BLK) {
    unsigned major = (unsigned)(((st->rdev >> 8) & 0xfff) | ((st->rdev >> 32) & ~0xfffu));
    unsigned minor = (unsigned)((st->rdev & 0xff) | ((st->rdev >> 12) & ~0xffu));
    printf("%4u,%4u ", major, minor);
  } else if (opt_h) {
    char buf[16];
    printf("%7s ", names_human((uint64_t)st->size, buf));
  } else
    printf("%9lld ", (long long)st->size);
  print_time(st->mtime_ns);
}

static void print_ent(const struct ent *e) {
  if (opt_ino) printf("%7llu ", (unsigned long long)e->st.ino);
  if (opt_long) print_long(e);
  fputs(e->name, stdout);
  if (opt_long && S_TYPE(e->st.mode) == T_LNK) {
    char target[4096];
    ssize_t n = readlink(e->path, target, sizeof target - 1);
    if (n >= 0) {
      target[n] = 0;
      printf(" -> %s", target);
      struct sys_stat to;
      if (opt_F && !sys_stat(e->path, &to)) fputs(indicator(to.mode), stdout);
    }
  } else if (opt_F)
    fputs(indicator(e->st.mode), stdout);
  putchar('\n');
}

/* "total N": the 1K blocks of the listing, rounded to a whole unit with -h. */
static void print_total(const struct ent *v, size_t n) {
  unsigned long long blocks = 0;
  for (size_t i = 0; i < n; i++) blocks += (unsigned long long)v[i].st.blocks;
  unsigned long long kb = blocks / 2;
  if (!opt_h) {
    printf("total %llu\n", kb);
    return;
  }
  static const char units[] = "KMGTPE";
  char buf[24];
  if (!kb) snprintf(buf, sizeof buf, "0");
  else {
    int u = 0;
    while (kb >= 1024) {
      kb = (kb + 512) / 1024;
      u++;
    }
    snprintf(buf, sizeof buf, "%llu%c", kb, units[u]);
  }
  printf("total %-7s\n", buf);
}

static char *join(const char *dir, const char *name) {
  size_t dl = strlen(dir);
  char *p = tb_malloc(dl + strlen(name) + 2);
  sprintf(p, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", name);
  return p;
}

static int shown(const char *name) {
  if (name[0] != '.') return 1;
  if (opt_all) return 1;
  if (opt_almost) return strcmp(name, ".") && strcmp(name, "..");
  return 0;
}

static int first_block = 1;

/* List directory PATH (with a "PATH:" header when HEADER), then with -R its subdirectories. */
static void list_dir(const char *path, int header) {
  if (!first_block) putchar('\n');
  first_block = 0;
  if (header) printf("%s:\n", path);
  DIR *d = opendir(path);
  if (!d) {
    tb_error("%s: %s", path, strerror(errno));
    status = 1;
    return;
  }
  struct ent *v = NULL;
  size_t n = 0, cap = 0;
  struct dirent *de;
  while ((de = readdir(d))) {
    if (!shown(de->d_name)) continue;
    if (n == cap) v = tb_realloc(v, (cap = cap ? cap * 2 : 16) * sizeof *v);
    struct ent *e = &v[n];
    e->name = tb_strdup(de->d_name);
    e->path = join(path, de->d_name);
    if (sys_lstat(e->path, &e->st)) {
      tb_error("%s: %s", e->path, strerror(errno));
      status = 1;
      free(e->name), free(e->path);
      continue;
    }
    n++;
  }
  closedir(d);
  qsort(v, n, sizeof *v, by_name);
  if (opt_long) print_total(v, n);
  for (size_t i = 0; i < n; i++) print_ent(&v[i]);
  for (size_t i = 0; opt_R && i < n; i++)
    if (S_TYPE(v[i].st.mode) == T_DIR && strcmp(v[i].name, ".") && strcmp(v[i].name, ".."))
      list_dir(v[i].path, 1);
  for (size_t i = 0; i < n; i++) free(v[i].name), free(v[i].path);
  free(v);
}

int applet_ls(int argc, char **argv) {
  int opt;
  opterr = 0;
  while ((opt = getopt(argc, argv, "1aAdFhilnRC")) != -1) {
    switch (opt) {
    case 'a': opt_all = 1; break;
    case 'A': opt_almost = 1; break;
    case 'd': opt_dir = 1; break;
    case 'F': opt_F = 1; break;
    case 'h': opt_h = 1; break;
    case 'i': opt_ino = 1; break;
    case 'l': opt_long = 1; break;
    case 'n': opt_long = opt_num = 1; break;
    case 'R': opt_R = 1; break;
    case '1':
    case 'C': break;
    default:
      tb_error("invalid option -- '%c'", optopt);
      fprintf(stderr, "Usage: ls [-1AaCdFhilnR] [FILE]...\n");
      return 1;
    }
  }
  now = time(NULL);
  char *dot[] = {".", NULL};
  char **ops = optind < argc ? argv + optind : dot;
  size_t nops = optind < argc ? (size_t)(argc - optind) : 1;
  /* Operand symlinks are followed unless the link itself is to be shown. */
  int follow = !(opt_long || opt_dir || opt_F);
  struct ent *files = tb_malloc(nops * sizeof *files), *dirs = tb_malloc(nops * sizeof *dirs);
  size_t nf = 0, nd = 0;
  for (size_t i = 0; i < nops; i++) {
    struct ent e = {ops[i], ops[i], {0}};
    if ((follow ? sys_stat : sys_lstat)(ops[i], &e.st)) { /* a dangling operand link is an error */
      tb_error("%s: %s", ops[i], strerror(errno));
      status = 1;
      continue;
    }
    if (S_TYPE(e.st.mode) == T_DIR && !opt_dir) dirs[nd++] = e;
    else files[nf++] = e;
  }
  qsort(files, nf, sizeof *files, by_name);
  qsort(dirs, nd, sizeof *dirs, by_name);
  for (size_t i = 0; i < nf; i++) print_ent(&files[i]);
  if (nf) first_block = 0;
  for (size_t i = 0; i < nd; i++) list_dir(dirs[i].path, nops > 1 || opt_R);
  return status;
}
