/* PATH search for both builds of sys.h: the same rules as execvp's, 126/127 as the shell reports them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sys.h"

int sys_find_program(const char *name, char *out, size_t outlen) {
  struct sys_stat st;
  if (strchr(name, '/')) {
    snprintf(out, outlen, "%s", name);
    if (sys_stat(name, &st)) return 127;
    return (st.mode & 0170000) == 0100000 && (st.mode & 0111) ? 0 : 126;
  }
  const char *path = getenv("PATH");
  if (!path) path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  int denied = 0;
  while (*path) {
    const char *end = strchr(path, ':');
    size_t len = end ? (size_t)(end - path) : strlen(path);
    snprintf(out, outlen, "%.*s/%s", (int)len, path, name);
    if (!sys_stat(out, &st) && (st.mode & 0170000) == 0100000) {
      if (st.mode & 0111) return 0;
      denied = 1;
    }
    path = end ? end + 1 : path + len;
  }
  return denied ? 126 : 127;
}
