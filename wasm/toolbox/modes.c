/*
 * chmod [-Rcvf] MODE FILE… and chown [-RhLHPcvf] USER[:[GROUP]] FILE…, as busybox's:
 * octal or symbolic modes (u+x,go-w,a=r,+X,u=g; without u/g/o/a the umask limits them),
 * names from /etc/passwd and /etc/group. -R does not follow symlinks below the operands.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileops.h"
#include "fileops_usage.h"

static unsigned who_bits(char c) { return c == 'u' ? 04700 : c == 'g' ? 02070 : c == 'o' ? 00007 : 07777; }

/* The bits one permission letter stands for, given the mode so far. */
static int perm_bits(char c, unsigned mode, int is_dir, unsigned *bits) {
  switch (c) {
  case 'r': *bits |= 0444; return 0;
  case 'w': *bits |= 0222; return 0;
  case 'x': *bits |= 0111; return 0;
  case 'X': *bits |= (is_dir || (mode & 0111)) ? 0111 : 0; return 0;
  case 's': *bits |= 06000; return 0;
  case 't': *bits |= 01000; return 0;
  case 'u': *bits |= ((mode >> 6) & 7) * 0111; return 0;
  case 'g': *bits |= ((mode >> 3) & 7) * 0111; return 0;
  case 'o': *bits |= (mode & 7) * 0111; return 0;
  }
  return -1;
}

int fo_parse_mode(const char *s, unsigned old, int is_dir, unsigned *out) {
  if (*s >= '0' && *s <= '7') {
    unsigned long v = 0;
    for (; *s; s++) {
      if (*s < '0' || *s > '7' || (v = v * 8 + (unsigned)(*s - '0')) > 07777) return -1;
    }
    *out = (unsigned)v;
    return 0;
  }
  unsigned mode = old & 07777, umask = fo_umask();
  while (*s) {
    if (*s == ',') {
      s++;
      continue;
    }
    unsigned who = 0;
    for (; *s && strchr("ugoa", *s); s++) who |= who_bits(*s);
    if (!*s || !strchr("+-=", *s)) return -1;
    unsigned limit = who ? who : 07777 & ~umask;
    while (*s && strchr("+-=", *s)) {
      char op = *s++;
      unsigned bits = 0;
      for (; *s && !strchr("+-=,", *s); s++)
        if (perm_bits(*s, mode, is_dir, &bits)) return -1;
      bits &= limit;
      if (op == '+') mode |= bits;
      else if (op == '-') mode &= ~bits;
      else mode = (mode & ~(who ? who : 07777)) | bits;
    }
  }
  *out = mode;
  return 0;
}

static int chmod_path(const char *path, const char *spec, int recursive, int top) {
  struct sys_stat st;
  if ((top ? sys_stat(path, &st) : sys_lstat(path, &st))) {
    tb_error("%s: %s", path, strerror(errno));
    return 1;
  }
  if ((st.mode & 0170000) == 0120000) return 0; /* met while recursing: left alone */
  int is_dir = (st.mode & 0170000) == 0040000;
  unsigned mode;
  if (fo_parse_mode(spec, st.mode, is_dir, &mode)) {
    tb_error("invalid mode '%s'", spec);
    exit(1);
  }
  int status = 0;
  if (sys_chmod(path, mode)) {
    tb_error("%s: %s", path, strerror(errno));
    status = 1;
  }
  if (recursive && is_dir) {
    size_t n;
    char **names = fo_list_dir(path, &n);
    for (size_t i = 0; names && i < n; i++) {
      char *child = fo_join(path, names[i]);
      status |= chmod_path(child, spec, 1, 0);
      free(child);
    }
    if (names) fo_free_list(names, n);
  }
  return status;
}

/* Options first, then "--" and the operands: "-w", "-x", "-rw" … are modes, not options. */
static char **modes_first(int argc, char **argv) {
  char **v = tb_malloc(sizeof(char *) * (size_t)(argc + 2));
  int n = 0, k = 0;
  char **ops = tb_malloc(sizeof(char *) * (size_t)(argc + 1));
  v[n++] = argv[0];
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--")) {
      while (++i < argc) ops[k++] = argv[i];
      break;
    }
    if (a[0] == '-' && a[1] && !strchr("rwxXst", a[1])) v[n++] = argv[i];
    else ops[k++] = argv[i];
  }
  v[n++] = "--";
  for (int i = 0; i < k; i++) v[n++] = ops[i];
  v[n] = NULL;
  free(ops);
  return v;
}

int applet_chmod(int argc, char **argv) {
  struct fo_opts o;
  char **ops;
  int n = fo_getopt(argc + 1, modes_first(argc, argv), "Rcvf", USAGE_CHMOD, &o, &ops);
  if (n < 0) return 1;
  if (n < 2) return fo_usage(USAGE_CHMOD);
  int status = 0;
  for (int i = 1; i < n; i++) status |= chmod_path(ops[i], ops[0], o.seen['R'], 1);
  return status;
}

/* Field FIELD (0-based) of the line of FILE whose first field is NAME (or, with BY_ID,
 * whose third field is the number NAME); -1 if there is none. */
static long db_lookup(const char *file, const char *name, int by_id, int field) {
  FILE *f = fopen(file, "r");
  if (!f) return -1;
  char line[1024];
  long found = -1;
  while (found < 0 && fgets(line, sizeof line, f)) {
    char *fields[8] = {0}, *p = line;
    int k = 0;
    while (k < 8) {
      fields[k++] = p;
      p = strchr(p, ':');
      if (!p) break;
      *p++ = 0;
    }
    const char *key = by_id ? fields[2] : fields[0];
    if (key && fields[field] && !strcmp(key, name)) found = strtol(fields[field], NULL, 10);
  }
  fclose(f);
  return found;
}

static long number(const char *s) {
  if (!*s || strspn(s, "0123456789") != strlen(s)) return -1;
  return strtol(s, NULL, 10);
}

long fo_user_id(const char *name, long *login_gid) {
  long uid = db_lookup("/etc/passwd", name, 0, 2);
  if (uid < 0) uid = number(name);
  if (login_gid && uid >= 0) {
    char id[24];
    snprintf(id, sizeof id, "%ld", uid);
    *login_gid = db_lookup("/etc/passwd", id, 1, 3);
    if (*login_gid < 0) *login_gid = uid;
  }
  return uid;
}

long fo_group_id(const char *name) {
  long gid = db_lookup("/etc/group", name, 0, 2);
  return gid >= 0 ? gid : number(name);
}

struct chown_args {
  long uid, gid;
  int recursive, nofollow;
};

static int chown_path(const char *path, const struct chown_args *a, int top) {
  struct sys_stat st;
  int nofollow = !top || a->nofollow || a->recursive;
  if ((nofollow ? sys_lstat(path, &st) : sys_stat(path, &st)) ||
      sys_chown(path, (int)a->uid, (int)a->gid, nofollow)) {
    tb_error("%s: %s", path, strerror(errno));
    return 1;
  }
  int status = 0;
  if (a->recursive && (st.mode & 0170000) == 0040000) {
    size_t n;
    char **names = fo_list_dir(path, &n);
    for (size_t i = 0; names && i < n; i++) {
      char *child = fo_join(path, names[i]);
      status |= chown_path(child, a, 0);
      free(child);
    }
    if (names) fo_free_list(names, n);
  }
  return status;
}

int applet_chown(int argc, char **argv) {
  struct fo_opts o;
  char **ops;
  int n = fo_getopt(argc, argv, "RhLHPcvf", USAGE_CHOWN, &o, &ops);
  if (n < 0) return 1;
  if (n < 2) return fo_usage(USAGE_CHOWN);
  struct chown_args a = {-1, -1, o.seen['R'], o.seen['h']};
  char *spec = tb_strdup(ops[0]);
  char *sep = strchr(spec, ':');
  if (sep && sep != spec && strchr(sep + 1, ':')) {
    tb_error("unknown user/group %s", ops[0]);
    return 1;
  }
  if (!sep) sep = strchr(spec, '.');
  if (sep) *sep = 0;
  long login = -1;
  if (*spec || !sep) {
    if ((a.uid = fo_user_id(spec, &login)) < 0) {
      tb_error("unknown user %s", spec);
      return 1;
    }
  }
  if (sep && sep[1]) {
    if ((a.gid = fo_group_id(sep + 1)) < 0) {
      tb_error("unknown group %s", sep + 1);
      return 1;
    }
  } else if (sep && !*spec) {
    tb_error("unknown group ");
    return 1;
  } else if (sep)
    a.gid = login;
  int status = 0;
  for (int i = 1; i < n; i++) status |= chown_path(ops[i], &a, 1);
  return status;
}
