/*
 * uname and hostname. On berth the kernel names itself Linux, release 6.1.0-berth,
 * machine wasm32 (the uname call); processor and platform are "unknown", as busybox
 * prints them when the C library cannot tell, and -a leaves those out.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysapplets.h"
#include "toolbox.h"

int applet_uname(int argc, char **argv) {
  /* printed in this order, whatever the order of the options */
  enum { S, N, R, V, M, P, I, O, FIELDS };
  int want[FIELDS] = {0}, any = 0, all = 0, opt;
  const char *letters = "snrvmpio";
  while ((opt = getopt(argc, argv, "asnrvmpio")) != -1) {
    if (opt == 'a') all = any = 1;
    else if (opt == '?') return usage_error("uname [-amnrspvio]");
    else want[strchr(letters, opt) - letters] = any = 1;
  }
  if (optind < argc) return usage_error("uname [-amnrspvio]");
  struct sys_utsname u;
  if (sys_uname(&u)) {
    tb_perror("uname");
    return 1;
  }
  if (!any) want[S] = 1;
  const char *value[FIELDS] = {u.sysname, u.nodename, u.release, u.version, u.machine, "unknown", "unknown", "GNU/Linux"};
  int first = 1;
  for (int i = 0; i < FIELDS; i++) {
    if (!(want[i] || (all && i != P && i != I))) continue;
    printf(first ? "%s" : " %s", value[i]);
    first = 0;
  }
  putchar('\n');
  return 0;
}

#define HOSTNAME_USAGE "hostname [-sidf] [HOSTNAME | -F FILE]"

/* The addresses /etc/hosts gives NAME, space-separated (hostname -i). */
static int print_addresses(const char *name) {
  FILE *f = fopen("/etc/hosts", "r");
  char line[512];
  int n = 0;
  while (f && fgets(line, sizeof line, f)) {
    char *save, *addr = strtok_r(line, " \t\n", &save);
    if (!addr || addr[0] == '#') continue;
    for (char *w = strtok_r(NULL, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save))
      if (!strcmp(w, name)) {
        printf(n++ ? " %s" : "%s", addr);
        break;
      }
  }
  if (f) fclose(f);
  if (!n) {
    tb_error("%s: Unknown host", name);
    return 1;
  }
  putchar('\n');
  return 0;
}

static int set_hostname(const char *name) {
  if (sys_sethostname(name, strlen(name))) {
    tb_error("sethostname: %s", strerror(errno));
    return 1;
  }
  return 0;
}

int applet_hostname(int argc, char **argv) {
  int s = 0, i = 0, d = 0, f = 0, opt;
  const char *file = NULL;
  while ((opt = getopt(argc, argv, "sidfF:")) != -1) switch (opt) {
    case 's': s = 1; break;
    case 'i': i = 1; break;
    case 'd': d = 1; break;
    case 'f': f = 1; break;
    case 'F': file = optarg; break;
    default: return usage_error(HOSTNAME_USAGE);
    }
  if (file) {
    FILE *fp = fopen(file, "r");
    char line[256];
    if (!fp) {
      tb_error("can't open '%s': %s", file, strerror(errno));
      return 1;
    }
    /* the first line that is not a comment */
    int got = 0;
    while (!got && fgets(line, sizeof line, fp)) {
      line[strcspn(line, "\r\n")] = 0;
      got = line[0] && line[0] != '#';
    }
    fclose(fp);
    return got ? set_hostname(line) : 0;
  }
  if (optind < argc) {
    if (optind + 1 < argc) return usage_error(HOSTNAME_USAGE);
    return set_hostname(argv[optind]);
  }
  struct sys_utsname u;
  if (sys_uname(&u)) {
    tb_perror("uname");
    return 1;
  }
  char *dot = strchr(u.nodename, '.');
  if (i) return print_addresses(u.nodename);
  if (d) {
    if (dot) puts(dot + 1);
    return 0;
  }
  if (s && !f && dot) *dot = 0;
  puts(u.nodename);
  return 0;
}
