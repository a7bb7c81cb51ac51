/* rm [-irfR] FILE…, as busybox's (-i asks before each removal). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileops.h"
#include "fileops_usage.h"

int fo_remove(const char *path, int recursive, int force, int ask) {
  struct sys_stat st;
  if (sys_lstat(path, &st)) {
    if (force && errno == ENOENT) return 0;
    tb_error("can't remove '%s': %s", path, strerror(errno));
    return 1;
  }
  if ((st.mode & 0170000) != 0040000) {
    if (ask && !fo_confirm("remove '%s'", path)) return 0;
    if (unlink(path) == 0) return 0;
    tb_error("can't remove '%s': %s", path, strerror(errno));
    return 1;
  }
  if (!recursive) {
    tb_error("'%s' is a directory", path);
    return 1;
  }
  if (ask && !fo_confirm("descend into directory '%s'", path)) return 0;
  size_t n;
  char **names = fo_list_dir(path, &n);
  if (!names) {
    tb_error("can't remove '%s': %s", path, strerror(errno));
    return 1;
  }
  int status = 0;
  for (size_t i = 0; i < n; i++) {
    char *child = fo_join(path, names[i]);
    status |= fo_remove(child, recursive, force, ask);
    free(child);
  }
  fo_free_list(names, n);
  if (status) return 1;
  if (ask && !fo_confirm("remove directory '%s'", path)) return 0;
  if (rmdir(path) == 0) return 0;
  tb_error("can't remove '%s': %s", path, strerror(errno));
  return 1;
}

int applet_rm(int argc, char **argv) {
  struct fo_opts o;
  char **ops;
  int n = fo_getopt(argc, argv, "irfRv", USAGE_RM, &o, &ops);
  if (n < 0) return 1;
  if (n == 0) return o.seen['f'] ? 0 : fo_usage(USAGE_RM);
  int status = 0;
  for (int i = 0; i < n; i++) {
    char *base = fo_basename(ops[i]);
    int dots = !strcmp(base, ".") || !strcmp(base, "..");
    free(base);
    if (dots) {
      tb_error("can't remove '.' or '..'");
      status = 1;
      continue;
    }
    status |= fo_remove(ops[i], o.seen['r'] || o.seen['R'], o.seen['f'], o.seen['i'] && !o.seen['f']);
  }
  return status;
}
