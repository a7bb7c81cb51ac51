/*
 * mount and umount. With no operands mount lists /proc/mounts ("SRC on DIR type T
 * (OPTS)", -t picks a type); else mount [-r] [-t TYPE] [-o OPTS] [--bind|--rbind] SRC DIR,
 * or -o remount[,ro|rw] DIR. Flag-like options (nosuid, noatime, …) and propagation
 * changes are accepted and ignored: berth's mounts are all private and have no such flags.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysapplets.h"
#include "toolbox.h"

#define MOUNT_USAGE "mount [OPTIONS] [-o OPT] DEVICE NODE"

/* Undo /proc/mounts' octal escapes (\040 for a space) in place. */
static void unescape(char *s) {
  char *o = s;
  for (; *s; s++)
    if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
      *o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
      s += 3;
    } else
      *o++ = *s;
  *o = 0;
}

static int list(const char *type) {
  char *m = read_whole("/proc/mounts", NULL);
  if (!m) {
    tb_error("can't read '/proc/mounts': %s", strerror(errno));
    return 1;
  }
  char *save;
  for (char *line = strtok_r(m, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    char *f[4], *s2;
    int n = 0;
    for (char *w = strtok_r(line, " ", &s2); w && n < 4; w = strtok_r(NULL, " ", &s2)) f[n++] = w;
    if (n < 4 || (type && strcmp(type, f[2]))) continue;
    unescape(f[0]), unescape(f[1]);
    printf("%s on %s type %s (%s)\n", f[0], f[1], f[2], f[3]);
  }
  free(m);
  return 0;
}

/* Options that are mount flags on Linux, or propagation: nothing to do on berth. */
static int ignored(const char *o) {
  static const char *const names[] = {"defaults", "async", "sync", "atime", "noatime", "diratime", "nodiratime",
                                      "relatime", "norelatime", "strictatime", "dev", "nodev", "exec", "noexec",
                                      "suid", "nosuid", "loop", "shared", "rshared", "slave", "rslave",
                                      "private", "rprivate", "unbindable", "runbindable", "bindable", "rbindable",
                                      "auto", "noauto", "user", "nouser", "_netdev"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (!strcmp(o, names[i])) return 1;
  return 0;
}

/* Fold -o OPTS into FLAGS and DATA (what the filesystem gets). */
static void options(const char *opts, unsigned long *flags, char *data, size_t size) {
  char *copy = tb_strdup(opts), *save;
  for (char *o = strtok_r(copy, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
    if (!strcmp(o, "ro")) *flags |= SYS_MS_RDONLY;
    else if (!strcmp(o, "rw")) *flags &= ~(unsigned long)SYS_MS_RDONLY;
    else if (!strcmp(o, "remount")) *flags |= SYS_MS_REMOUNT;
    else if (!strcmp(o, "bind")) *flags |= SYS_MS_BIND;
    else if (!strcmp(o, "rbind")) *flags |= SYS_MS_BIND | SYS_MS_REC;
    else if (!ignored(o)) {
      size_t l = strlen(data);
      snprintf(data + l, size - l, "%s%s", l ? "," : "", o);
    }
  }
  free(copy);
}

int applet_mount(int argc, char **argv) {
  const char *type = NULL, *pos[2];
  char data[4096] = "";
  unsigned long flags = 0;
  int npos = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--bind")) flags |= SYS_MS_BIND;
    else if (!strcmp(a, "--rbind")) flags |= SYS_MS_BIND | SYS_MS_REC;
    else if (!strncmp(a, "--make-", 7)) continue;
    else if (a[0] == '-' && a[1] == '-' && a[2]) {
      tb_error("unrecognized option '%s'", a);
      return usage_error(MOUNT_USAGE);
    } else if (a[0] == '-' && a[1])
      for (const char *o = a + 1; *o; o++) {
        if (*o == 't' || *o == 'o' || *o == 'O' || *o == 'T') {
          const char *v = o[1] ? o + 1 : i + 1 < argc ? argv[++i] : NULL;
          if (!v) {
            tb_error("option requires an argument -- '%c'", *o);
            return usage_error(MOUNT_USAGE);
          }
          if (*o == 't') type = v;
          else if (*o == 'o') options(v, &flags, data, sizeof data);
          break;
        } else if (*o == 'r') flags |= SYS_MS_RDONLY;
        else if (*o == 'w') flags &= ~(unsigned long)SYS_MS_RDONLY;
        else if (*o == 'B') flags |= SYS_MS_BIND;
        else if (*o == 'R') flags |= SYS_MS_BIND | SYS_MS_REC;
        else if (*o != 'f' && *o != 'i' && *o != 'n' && *o != 'v') {
          tb_error("invalid option -- '%c'", *o);
          return usage_error(MOUNT_USAGE);
        }
      }
    else if (npos == 2)
      return usage_error(MOUNT_USAGE);
    else
      pos[npos++] = a;
  }
  if (npos == 0) return list(type);
  if (npos == 1 && !(flags & SYS_MS_REMOUNT)) {
    tb_error("can't find %s in /etc/fstab", pos[0]);
    return 1;
  }
  const char *source = npos == 2 ? pos[0] : "none", *target = pos[npos - 1];
  if (sys_mount(source, target, type ? type : "", flags, data)) {
    if (errno == EPERM) tb_error("permission denied (are you root?)");
    else tb_error("mounting %s on %s failed: %s", source, target, strerror(errno));
    return 255;
  }
  return 0;
}

int applet_umount(int argc, char **argv) {
  int flags = 0, status = 0, any = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (a[0] == '-' && a[1]) {
      for (const char *o = a + 1; *o; o++)
        if (*o == 'l') flags |= SYS_MNT_DETACH;
        else if (*o == 't') {
          if (!o[1]) i++;
          break;
        } else if (!strchr("frdn", *o)) {
          tb_error("invalid option -- '%c'", *o);
          return usage_error("umount [-rlfda] [-t FSTYPE] FILESYSTEM|DIRECTORY");
        }
      continue;
    }
    any = 1;
    if (sys_umount(a, flags)) {
      tb_error("can't unmount %s: %s", a, strerror(errno));
      status = 1;
    }
  }
  if (!any) return usage_error("umount [-rlfda] [-t FSTYPE] FILESYSTEM|DIRECTORY");
  return status;
}
