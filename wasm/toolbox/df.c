/*
 * df [-PkmhTai] [-B SIZE] [-t TYPE] [FILE…]: the mounts of /proc/mounts with statfs's
 * figures, in busybox's layout. Without operands, filesystems of no blocks (proc,
 * sysfs, …) are left out unless -a.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysapplets.h"
#include "toolbox.h"

struct mnt {
  char *source, *dir, *type;
};

static int human, show_type, posix, inodes;
static unsigned long long unit = 1024;

static void human_text(unsigned long long bytes, char *out, size_t n) {
  const char *units = "BKMGTPE";
  double v = (double)bytes;
  int u = 0;
  while (v >= 1024 && units[u + 1]) v /= 1024, u++;
  if (bytes == 0) snprintf(out, n, "0");
  else if (u == 0) snprintf(out, n, "%llu", bytes);
  else snprintf(out, n, "%.1f%c", v, units[u]);
}

/* Blocks of BSIZE bytes as the chosen unit (or human text). */
static void amount(unsigned long long count, unsigned long long bsize, char *out, size_t n) {
  if (inodes) snprintf(out, n, "%llu", count);
  else if (human) human_text(count * bsize, out, n);
  else snprintf(out, n, "%llu", (unsigned long long)((count * (long double)bsize + unit / 2) / unit)); /* rounded */
}

static int row(const struct mnt *m) {
  struct sys_statfs st;
  if (sys_statfs(m->dir, &st)) {
    tb_error("%s: %s", m->dir, strerror(errno));
    return 1;
  }
  unsigned long long total = inodes ? st.files : st.blocks, free_ = inodes ? st.ffree : st.bfree;
  unsigned long long avail = inodes ? st.ffree : st.bavail, used = total - free_;
  unsigned pct = used + avail ? (unsigned)((used * 100 + (used + avail) / 2) / (used + avail)) : 0;
  char t[32], u[32], a[32];
  amount(total, st.bsize, t, sizeof t);
  amount(used, st.bsize, u, sizeof u);
  amount(avail, st.bsize, a, sizeof a);
  /* a long source name gets a line of its own */
  if (strlen(m->source) > 20) printf("%s\n%20s", m->source, "");
  else printf("%-20s", m->source);
  if (show_type) printf(" %-10s", m->type);
  printf(" %9s %9s %9s %3u%% %s\n", t, u, a, pct, m->dir);
  return 0;
}

/* PATH made absolute, with . and .. taken out lexically (symlinks are not followed). */
static char *absolute(const char *path, char *out, size_t size) {
  char cwd[PATH_MAX] = "";
  if (path[0] != '/' && !getcwd(cwd, sizeof cwd)) return NULL;
  char *joined = tb_malloc(strlen(cwd) + strlen(path) + 2), *save;
  sprintf(joined, "%s/%s", cwd, path);
  size_t n = 0;
  out[0] = 0;
  for (char *p = strtok_r(joined, "/", &save); p; p = strtok_r(NULL, "/", &save)) {
    if (!strcmp(p, ".")) continue;
    if (!strcmp(p, "..")) {
      while (n > 0 && out[n - 1] != '/') n--;
      if (n > 0) n--;
      out[n] = 0;
    } else if (n + strlen(p) + 2 < size)
      n += (size_t)sprintf(out + n, "/%s", p);
  }
  if (n == 0) strcpy(out, "/");
  free(joined);
  return out;
}

#define DF_USAGE "df [-PkmhTai] [-B SIZE] [-t TYPE] [FILESYSTEM]..."

int applet_df(int argc, char **argv) {
  int all = 0, opt;
  const char *only = NULL;
  while ((opt = getopt(argc, argv, "PkmhTaiB:t:")) != -1) switch (opt) {
    case 'P': posix = 1; break;
    case 'k': unit = 1024, human = 0; break;
    case 'm': unit = 1024 * 1024, human = 0; break;
    case 'h': human = 1; break;
    case 'T': show_type = 1; break;
    case 'a': all = 1; break;
    case 'i': inodes = 1; break;
    case 't': only = optarg; break;
    case 'B': {
      char *end;
      unit = strtoull(optarg, &end, 10);
      if (*end == 'K' || *end == 'k') unit *= 1024;
      else if (*end == 'M' || *end == 'm') unit *= 1024 * 1024;
      else if (*end == 'G' || *end == 'g') unit *= 1024 * 1024 * 1024;
      if (!unit) unit = 1024;
      break;
    }
    default: return usage_error(DF_USAGE);
    }
  char *text = read_whole("/proc/mounts", NULL);
  if (!text) {
    tb_error("can't open '/proc/mounts': %s", strerror(errno));
    return 1;
  }
  struct mnt *mounts = NULL;
  size_t n = 0;
  char *save;
  for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    char *f[3], *s2;
    int k = 0;
    for (char *w = strtok_r(line, " ", &s2); w && k < 3; w = strtok_r(NULL, " ", &s2)) f[k++] = w;
    if (k < 3) continue;
    mounts = tb_realloc(mounts, (n + 1) * sizeof *mounts);
    mounts[n++] = (struct mnt){f[0], f[1], f[2]};
  }
  char blocks[32];
  if (inodes) snprintf(blocks, sizeof blocks, "%9s", "Inodes");
  else if (human) snprintf(blocks, sizeof blocks, "%9s", "Size");
  else if (unit == 1024 && posix) snprintf(blocks, sizeof blocks, "1024-blocks");
  else if (unit % (1024 * 1024) == 0) snprintf(blocks, sizeof blocks, "%lluM-blocks", unit / (1024 * 1024));
  else if (unit % 1024 == 0) snprintf(blocks, sizeof blocks, "%lluK-blocks", unit / 1024);
  else snprintf(blocks, sizeof blocks, "%llu-blocks", unit);
  printf("Filesystem           %s%-15sUsed Available %s Mounted on\n", show_type ? "Type       " : "", blocks,
         posix ? "Capacity" : "Use%");
  int status = 0;
  if (optind == argc) {
    for (size_t i = 0; i < n; i++) {
      if (only && strcmp(only, mounts[i].type)) continue;
      struct sys_statfs st;
      if (!all && (sys_statfs(mounts[i].dir, &st) || st.blocks == 0)) continue;
      status |= row(&mounts[i]);
    }
  }
  for (int a = optind; a < argc; a++) {
    /* the mount whose directory is the longest prefix of the file's real path (the last one
     * of equals: the mount on top) */
    char real[PATH_MAX];
    const struct mnt *best = NULL;
    size_t best_len = 0;
    struct sys_stat st;
    if (!sys_stat(argv[a], &st) && absolute(argv[a], real, sizeof real))
      for (size_t i = 0; i < n; i++) {
        size_t l = strlen(mounts[i].dir);
        int under = !strcmp(mounts[i].dir, "/") ||
                    (!strncmp(real, mounts[i].dir, l) && (real[l] == 0 || real[l] == '/'));
        if (under && (!best || l >= best_len)) best = &mounts[i], best_len = l;
      }
    if (!best) {
      tb_error("%s: can't find mount point", argv[a]);
      status = 1;
      continue;
    }
    status |= row(best);
  }
  free(mounts);
  free(text);
  return status;
}
