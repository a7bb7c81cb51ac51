/*
 * Owner names (cached: ls -l asks for the same few ids over and over) and the human
 * size and mode strings ls, stat and du print.
 */
#include <stdio.h>
#include <string.h>

#include "names.h"
#include "sysapplets.h"
#include "toolbox.h"

struct cached {
  unsigned id;
  char *name; /* NULL: the id has no name */
};

/* A small cache per database; past its size the lookups simply repeat. */
#define CACHE 32
static const char *lookup(struct cached *cache, int *n, unsigned id, const char *(*find)(unsigned)) {
  for (int i = 0; i < *n; i++)
    if (cache[i].id == id) return cache[i].name;
  const char *name = find(id);
  char *copy = name ? tb_strdup(name) : NULL;
  if (*n < CACHE) cache[(*n)++] = (struct cached){id, copy};
  return copy;
}

const char *names_user(unsigned uid) {
  static struct cached cache[CACHE];
  static int n;
  return lookup(cache, &n, uid, ids_user_name);
}

const char *names_group(unsigned gid) {
  static struct cached cache[CACHE];
  static int n;
  return lookup(cache, &n, gid, ids_group_name);
}

const char *names_human(uint64_t bytes, char buf[16]) {
  static const char units[] = "KMGTPE";
  if (bytes < 1024) {
    snprintf(buf, 16, "%llu", (unsigned long long)bytes);
    return buf;
  }
  /* Divide down to below 1024; the last remainder gives the rounded tenth. */
  unsigned long long v = bytes, rem = 0;
  int u = -1;
  while (v >= 1024) {
    rem = v % 1024;
    v /= 1024;
    u++;
  }
  unsigned tenth = (unsigned)((rem * 10 + 512) / 1024);
  if (tenth >= 10) v++, tenth = 0;
  snprintf(buf, 16, "%llu.%u%c", v, tenth, units[u]);
  return buf;
}

void names_mode(uint32_t mode, char buf[11]) {
  static const char types[] = "?pc?d?b?-?l?s???";
  buf[0] = types[(mode >> 12) & 15];
  static const char rwx[] = "rwxrwxrwx";
  for (int i = 0; i < 9; i++) buf[1 + i] = mode & (0400u >> i) ? rwx[i] : '-';
  /* setuid, setgid and sticky show in the x places: lower case when x is set too. */
  if (mode & 04000) buf[3] = buf[3] == 'x' ? 's' : 'S';
  if (mode & 02000) buf[6] = buf[6] == 'x' ? 's' : 'S';
  if (mode & 01000) buf[9] = buf[9] == 'x' ? 't' : 'T';
  buf[10] = 0;
}
