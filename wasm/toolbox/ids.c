/*
 * id and whoami, with names from /etc/passwd and /etc/group. berth has no supplementary
 * group list per process, so the groups are what login's initgroups would give: the
 * primary group, then every group of /etc/group that names the user as a member.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysapplets.h"
#include "toolbox.h"

/* One line of passwd or group split at ':' (fields[0] name, [2] id, [3] gid or members). */
struct entry {
  char line[1024];
  char *field[7];
  int n;
};

/* The next entry of F, or 0 at the end. */
static int next_entry(FILE *f, struct entry *e) {
  while (fgets(e->line, sizeof e->line, f)) {
    e->line[strcspn(e->line, "\n")] = 0;
    e->n = 0;
    char *p = e->line;
    while (e->n < 7) {
      e->field[e->n++] = p;
      p = strchr(p, ':');
      if (!p) break;
      *p++ = 0;
    }
    if (e->n >= 3) return 1;
  }
  return 0;
}

/* The entry of FILE whose name is NAME (or, NAME NULL, whose id is ID). */
static int find_entry(const char *file, const char *name, unsigned id, struct entry *out) {
  FILE *f = fopen(file, "r");
  if (!f) return 0;
  int found = 0;
  while (!found && next_entry(f, out))
    found = name ? !strcmp(out->field[0], name) : (unsigned)strtoul(out->field[2], NULL, 10) == id;
  fclose(f);
  return found;
}

static const char *name_of(const char *file, unsigned id, char *buf) {
  struct entry e;
  if (!find_entry(file, NULL, id, &e)) return NULL;
  snprintf(buf, 256, "%s", e.field[0]);
  return buf;
}

const char *ids_user_name(unsigned uid) {
  static char buf[256];
  return name_of("/etc/passwd", uid, buf);
}

const char *ids_group_name(unsigned gid) {
  static char buf[256];
  return name_of("/etc/group", gid, buf);
}

/* The groups of USER: GID first, then those listing USER as a member. */
static int groups_of(const char *user, unsigned gid, unsigned *out, int max) {
  int n = 0;
  out[n++] = gid;
  FILE *f = user ? fopen("/etc/group", "r") : NULL;
  if (!f) return n;
  struct entry e;
  while (n < max && next_entry(f, &e)) {
    if (e.n < 4) continue;
    unsigned g = (unsigned)strtoul(e.field[2], NULL, 10);
    for (char *save, *m = strtok_r(e.field[3], ",", &save); m; m = strtok_r(NULL, ",", &save))
      if (!strcmp(m, user) && g != gid) {
        out[n++] = g;
        break;
      }
  }
  fclose(f);
  return n;
}

static void print_id(const char *label, unsigned id, const char *name) {
  printf("%s%u", label, id);
  if (name) printf("(%s)", name);
}

#define ID_USAGE "id [-ugGnr] [USER]"

int applet_id(int argc, char **argv) {
  int u = 0, g = 0, G = 0, names = 0, real = 0, opt;
  while ((opt = getopt(argc, argv, "ugGnr")) != -1) switch (opt) {
    case 'u': u = 1; break;
    case 'g': g = 1; break;
    case 'G': G = 1; break;
    case 'n': names = 1; break;
    case 'r': real = 1; break;
    default: return usage_error(ID_USAGE);
    }
  /* one of -u -g -G at most; -n and -r only with one of them */
  if (u + g + G > 1 || ((names || real) && u + g + G == 0) || argc - optind > 1) return usage_error(ID_USAGE);
  unsigned uid, gid;
  const char *user = NULL;
  struct entry pw;
  if (optind < argc) {
    if (!find_entry("/etc/passwd", argv[optind], 0, &pw) || pw.n < 4) {
      tb_error("unknown user %s", argv[optind]);
      return 1;
    }
    uid = (unsigned)strtoul(pw.field[2], NULL, 10);
    gid = (unsigned)strtoul(pw.field[3], NULL, 10);
    user = pw.field[0];
  } else {
    uid = (unsigned)(real ? sys_getuid() : sys_geteuid());
    gid = (unsigned)(real ? sys_getgid() : sys_getegid());
    user = ids_user_name(uid);
  }
  char uname[256];
  snprintf(uname, sizeof uname, "%s", user ? user : "");
  user = user ? uname : NULL;
  unsigned groups[64];
  int ng = groups_of(user, gid, groups, 64);
  int status = 0;
  if (u || g) {
    unsigned id = u ? uid : gid;
    const char *n = u ? user : ids_group_name(gid);
    if (names && n) puts(n);
    else if (names) { /* busybox: the number, and failure */
      printf("%u\n", id);
      status = 1;
    } else printf("%u\n", id);
    return status;
  }
  if (G) {
    for (int i = 0; i < ng; i++) {
      const char *n = ids_group_name(groups[i]);
      if (i) putchar(' ');
      if (names && n) fputs(n, stdout);
      else printf("%u", groups[i]);
    }
    putchar('\n');
    return 0;
  }
  print_id("uid=", uid, user);
  print_id(" gid=", gid, ids_group_name(gid));
  for (int i = 0; i < ng; i++) print_id(i ? "," : " groups=", groups[i], ids_group_name(groups[i]));
  putchar('\n');
  return 0;
}

int applet_whoami(int argc, char **argv) {
  (void)argv;
  if (argc > 1) return usage_error("whoami");
  unsigned uid = (unsigned)sys_geteuid();
  const char *n = ids_user_name(uid);
  if (!n) {
    tb_error("unknown uid %u", uid);
    return 1;
  }
  puts(n);
  return 0;
}
