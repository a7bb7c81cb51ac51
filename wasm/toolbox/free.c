/* free [-bkmgh]: memory from /proc/meminfo, as busybox lays it out (KiB by default). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysapplets.h"
#include "toolbox.h"

/* The value of "KEY:   N kB" in the meminfo text, 0 if absent. */
static unsigned long long field(const char *text, const char *key) {
  size_t k = strlen(key);
  for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
    if (!strncmp(p, key, k) && p[k] == ':') return strtoull(p + k + 1, NULL, 10);
  return 0;
}

static int unit; /* 'b', 'k', 'm', 'g' or 'h' */

static void column(unsigned long long kib) {
  char buf[32];
  if (unit == 'h') {
    /* one decimal and the largest unit that keeps the number under 1024 */
    const char *units = "KMGTPE";
    double v = (double)kib;
    int u = 0;
    while (v >= 1024 && units[u + 1]) v /= 1024, u++;
    if (kib == 0) snprintf(buf, sizeof buf, "0");
    else snprintf(buf, sizeof buf, "%.1f%c", v, units[u]);
  } else {
    unsigned long long v = unit == 'b' ? kib * 1024 : unit == 'm' ? kib >> 10 : unit == 'g' ? kib >> 20 : kib;
    snprintf(buf, sizeof buf, "%llu", v);
  }
  printf("%12s", buf);
}

int applet_free(int argc, char **argv) {
  int opt;
  unit = 'k';
  while ((opt = getopt(argc, argv, "bkmgh")) != -1) {
    if (opt == '?') return usage_error("free [-bkmgh]");
    unit = opt;
  }
  if (optind < argc) return usage_error("free [-bkmgh]");
  char *m = read_whole("/proc/meminfo", NULL);
  if (!m) {
    tb_error("can't open '/proc/meminfo': No such file or directory");
    return 1;
  }
  unsigned long long total = field(m, "MemTotal"), fr = field(m, "MemFree");
  unsigned long long cache = field(m, "Buffers") + field(m, "Cached") + field(m, "SReclaimable");
  unsigned long long avail = strstr(m, "MemAvailable:") ? field(m, "MemAvailable") : fr;
  unsigned long long used = total > fr + cache ? total - fr - cache : 0;
  unsigned long long swap = field(m, "SwapTotal"), swapfree = field(m, "SwapFree");
  printf("%7s%12s%12s%12s%12s%12s%12s\n", "", "total", "used", "free", "shared", "buff/cache", "available");
  printf("%-7s", "Mem:");
  column(total), column(used), column(fr), column(field(m, "Shmem")), column(cache), column(avail);
  printf("\n%-7s", "Swap:");
  column(swap), column(swap - swapfree), column(swapfree);
  putchar('\n');
  free(m);
  return 0;
}
