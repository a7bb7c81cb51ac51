/*
 * Path applets: basename, dirname, readlink [-fnv], realpath, which [-a]. Canonical paths
 * follow every symlink; as busybox's, a missing last component is allowed when the path
 * names its directory ("d/new"), not when it is a bare missing name.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "toolbox.h"

#define MAXLINKS 40

/* PATH made absolute with every ".", ".." and symlink resolved, into OUT[len]. */
static int canonical(const char *path, char *out, size_t len) {
  char rest[8192], res[4096];
  size_t rl = 0; /* res holds "/a/b" (no trailing slash), rl 0 for "/" */
  int links = 0;
  if (path[0] == '/') snprintf(rest, sizeof rest, "%s", path);
  else {
    if (!getcwd(res, sizeof res)) return -1;
    snprintf(rest, sizeof rest, "%s/%s", res, path);
  }
  char *p = rest;
  res[0] = 0;
  while (*p) {
    while (*p == '/') p++;
    if (!*p) break;
    char *end = strchr(p, '/');
    size_t cl = end ? (size_t)(end - p) : strlen(p);
    int last = !end || !end[strspn(end, "/")];
    if (cl == 1 && p[0] == '.') {
      p += cl;
      continue;
    }
    if (cl == 2 && p[0] == '.' && p[1] == '.') {
      while (rl && res[rl - 1] != '/') rl--;
      if (rl) rl--;
      res[rl] = 0;
      p += cl;
      continue;
    }
    if (rl + 1 + cl >= sizeof res) {
      errno = ENAMETOOLONG;
      return -1;
    }
    res[rl] = '/';
    memcpy(res + rl + 1, p, cl);
    res[rl + 1 + cl] = 0;
    p += cl;
    struct sys_stat st;
    if (sys_lstat(res, &st)) {
      if (errno != ENOENT || !last || (end && *end)) return -1;
      rl += 1 + cl; /* a missing last name is kept as it is */
      break;
    }
    if ((st.mode & 0170000) == 0120000) {
      char target[4096];
      ssize_t n = readlink(res, target, sizeof target - 1);
      if (n < 0) return -1;
      target[n] = 0;
      if (++links > MAXLINKS) {
        errno = ELOOP;
        return -1;
      }
      char tail[8192];
      snprintf(tail, sizeof tail, "%s%s", target, p); /* p is "" or "/…" */
      snprintf(rest, sizeof rest, "%s", tail);
      p = rest;
      if (target[0] == '/') rl = 0;
      res[rl] = 0;
      continue;
    }
    rl += 1 + cl;
    if ((st.mode & 0170000) != 0040000 && *p) {
      errno = ENOTDIR;
      return -1;
    }
  }
  snprintf(out, len, "%s", rl ? res : "/");
  return 0;
}

/* Canonical PATH, busybox's way: a bare name that does not exist is an error. */
static int canonical_arg(const char *path, char *out, size_t len) {
  struct sys_stat st;
  if (!strchr(path, '/') && sys_lstat(path, &st)) return -1;
  return canonical(path, out, len);
}

int applet_realpath(int argc, char **argv) {
  if (argc < 2) {
    fputs("Usage: realpath FILE...\n", stderr);
    return 1;
  }
  int status = 0;
  for (int i = 1; i < argc; i++) {
    char buf[4096];
    if (canonical_arg(argv[i], buf, sizeof buf)) {
      tb_error("%s: %s", argv[i], strerror(errno));
      status = 1;
    } else
      puts(buf);
  }
  return status;
}

int applet_readlink(int argc, char **argv) {
  int canon = 0, nonl = 0, verbose = 0, opt;
  opterr = 0;
  while ((opt = getopt(argc, argv, "fnvs")) != -1) switch (opt) {
    case 'f': canon = 1; break;
    case 'n': nonl = 1; break;
    case 'v': verbose = 1; break;
    case 's': verbose = 0; break;
    default:
      tb_error("invalid option -- '%c'", optopt);
      fputs("Usage: readlink [-fnv] FILE\n", stderr);
      return 1;
    }
  if (optind != argc - 1) {
    fputs("Usage: readlink [-fnv] FILE\n", stderr);
    return 1;
  }
  const char *path = argv[optind];
  char buf[4096];
  if (canon) {
    if (canonical_arg(path, buf, sizeof buf)) return 1; /* silent even with -v */
  } else {
    ssize_t n = readlink(path, buf, sizeof buf - 1);
    if (n < 0) {
      if (verbose) tb_error("%s: cannot read link: %s", path, errno == EINVAL ? "not a symlink" : strerror(errno));
      return 1;
    }
    buf[n] = 0;
  }
  fputs(buf, stdout);
  if (!nonl) putchar('\n');
  return 0;
}

static int basename_usage(void) {
  fputs("Usage: basename FILE [SUFFIX] | -a FILE... | -s SUFFIX FILE...\n", stderr);
  return 1;
}

/* The last component of NAME without trailing slashes, minus SUFFIX if that leaves some. */
static void print_base(const char *name, const char *suffix) {
  char *s = tb_strdup(name);
  size_t n = strlen(s);
  while (n > 1 && s[n - 1] == '/') s[--n] = 0;
  char *base = strrchr(s, '/');
  base = base && base[1] ? base + 1 : s;
  if (suffix) {
    size_t bl = strlen(base), sl = strlen(suffix);
    if (sl < bl && !strcmp(base + bl - sl, suffix)) base[bl - sl] = 0;
  }
  puts(base);
  free(s);
}

int applet_basename(int argc, char **argv) {
  int all = 0, opt;
  const char *suffix = NULL;
  opterr = 0;
  while ((opt = getopt(argc, argv, "+as:")) != -1) switch (opt) {
    case 'a': all = 1; break;
    case 's': all = 1, suffix = optarg; break;
    default: return basename_usage();
    }
  int n = argc - optind;
  if (n < 1 || (!all && n > 2)) return basename_usage();
  if (!all) {
    print_base(argv[optind], n == 2 ? argv[optind + 1] : NULL);
    return 0;
  }
  for (int i = optind; i < argc; i++) print_base(argv[i], suffix);
  return 0;
}

/* glibc's dirname, which busybox prints: "//" stays "//", "a" gives ".". */
int applet_dirname(int argc, char **argv) {
  int first = argc > 1 && !strcmp(argv[1], "--") ? 2 : 1;
  if (argc - first != 1) {
    fputs("Usage: dirname FILENAME\n", stderr);
    return 1;
  }
  char *s = tb_strdup(argv[first]);
  char *slash = strrchr(s, '/');
  if (slash && slash != s && !slash[1]) {
    /* Trailing slashes: the separator before the last component is further back. */
    char *r = slash;
    while (r != s && r[-1] == '/') r--;
    if (r != s) {
      char *prev = NULL;
      for (char *q = s; q < r; q++)
        if (*q == '/') prev = q;
      slash = prev;
    }
  }
  if (!slash) {
    puts(".");
    return 0;
  }
  char *r = slash;
  while (r != s && r[-1] == '/') r--;
  if (r == s) r = slash == s + 1 ? s + 2 : s + 1; /* only leading slashes: "/", or "//" exactly */
  *r = 0;
  puts(s);
  return 0;
}

static int executable(const char *path) {
  struct sys_stat st;
  return !sys_stat(path, &st) && (st.mode & 0170000) == 0100000 && (st.mode & 0111);
}

int applet_which(int argc, char **argv) {
  int all = 0, opt;
  opterr = 0;
  while ((opt = getopt(argc, argv, "a")) != -1)
    if (opt == 'a') all = 1;
    else {
      tb_error("invalid option -- '%c'", optopt);
      optind = argc;
    }
  if (optind >= argc) {
    fputs("Usage: which [-a] COMMAND...\n", stderr);
    return 1;
  }
  const char *path = getenv("PATH");
  if (!path) path = "/sbin:/usr/sbin:/bin:/usr/bin";
  int status = 0;
  for (int i = optind; i < argc; i++) {
    const char *name = argv[i];
    int found = 0;
    if (strchr(name, '/')) {
      if ((found = executable(name))) puts(name);
    } else {
      for (const char *p = path;;) {
        const char *colon = strchr(p, ':');
        size_t dl = colon ? (size_t)(colon - p) : strlen(p);
        char *full = tb_malloc(dl + strlen(name) + 3);
        if (dl) sprintf(full, "%.*s/%s", (int)dl, p, name);
        else sprintf(full, "./%s", name); /* an empty entry is the working directory */
        if (executable(full)) {
          puts(full);
          found = 1;
        }
        free(full);
        if ((found && !all) || !colon) break;
        p = colon + 1;
      }
    }
    if (!found) status = 1;
  }
  return status;
}
