/* Reading small files such as /proc's whole (their size is not known before reading). */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "sysapplets.h"
#include "toolbox.h"

char *read_whole(const char *path, size_t *len) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return NULL;
  size_t cap = 4096, n = 0;
  char *buf = tb_malloc(cap);
  ssize_t r;
  while ((r = read(fd, buf + n, cap - n - 1)) > 0)
    if ((n += (size_t)r) + 1 >= cap) buf = tb_realloc(buf, cap *= 2);
  close(fd);
  buf[n] = 0;
  if (len) *len = n;
  return buf;
}

int usage_error(const char *usage) {
  fflush(stdout);
  fprintf(stderr, "Usage: %s\n", usage);
  return 1;
}
