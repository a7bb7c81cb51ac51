/*
 * du [-achkLs] [-d N] [FILE]...: disk usage in 1K blocks (from st_blocks), directories
 * summed over their contents, a file with several links counted once.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "toolbox.h"

static int opt_all, opt_human, opt_follow, max_depth = -1, status;
static struct {
  uint64_t dev, ino;
} *seen;
static size_t nseen;

/* Whether this (multiply linked) file was counted already; remembers it if not. */
static int counted(const struct sys_stat *st) {
  for (size_t i = 0; i < nseen; i++)
    if (seen[i].dev == st->dev && seen[i].ino == st->ino) return 1;
  seen = tb_realloc(seen, (nseen + 1) * sizeof *seen);
  seen[nseen].dev = st->dev, seen[nseen].ino = st->ino;
  nseen++;
  return 0;
}

static void print(uint64_t blocks, const char *path) {
  if (opt_human) {
    char buf[16];
    printf("%s\t%s\n", names_human(blocks * 512, buf), path);
  } else
    printf("%llu\t%s\n", (unsigned long long)(blocks / 2), path);
}

/* The 512-byte blocks under PATH, printing what the options ask for on the way. */
static uint64_t usage(const char *path, int depth) {
  struct sys_stat st;
  if ((depth == 0 && opt_follow ? sys_stat : sys_lstat)(path, &st)) {
    tb_error("%s: %s", path, strerror(errno));
    status = 1;
    return 0;
  }
  int is_dir = (st.mode & 0170000) == 0040000;
  if (!is_dir && st.nlink > 1 && counted(&st)) return 0;
  uint64_t total = (uint64_t)st.blocks;
  if (is_dir) {
    DIR *d = opendir(path);
    if (!d) {
      tb_error("%s: %s", path, strerror(errno));
      status = 1;
    } else {
      size_t pl = strlen(path);
      struct dirent *de;
      while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        char *child = tb_malloc(pl + strlen(de->d_name) + 2);
        sprintf(child, "%s%s%s", path, pl && path[pl - 1] == '/' ? "" : "/", de->d_name);
        total += usage(child, depth + 1);
        free(child);
      }
      closedir(d);
    }
  }
  if (depth == 0 || ((is_dir || opt_all) && (max_depth < 0 || depth <= max_depth))) print(total, path);
  return total;
}

int applet_du(int argc, char **argv) {
  int opt, grand = 0;
  opterr = 0;
  while ((opt = getopt(argc, argv, "achkLsd:")) != -1) switch (opt) {
    case 'a': opt_all = 1; break;
    case 'c': grand = 1; break;
    case 'h': opt_human = 1; break;
    case 'k': opt_human = 0; break;
    case 'L': opt_follow = 1; break;
    case 's': max_depth = 0; break;
    case 'd': max_depth = atoi(optarg); break;
    default:
      tb_error("invalid option -- '%c'", optopt);
      fputs("Usage: du [-aHLdclsxhmk] [FILE]...\n", stderr);
      return 1;
    }
  char *dot[] = {".", NULL};
  char **paths = optind < argc ? argv + optind : dot;
  uint64_t sum = 0;
  for (; *paths; paths++) sum += usage(*paths, 0);
  if (grand) print(sum, "total");
  return status;
}
