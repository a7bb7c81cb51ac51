/*
 * Linked into every berth program: at start-up, take the working directory the kernel
 * gave the process (spawn's cwd) into wasi-libc, which otherwise starts every program
 * at "/" — so a child of `cd /tmp; prog` runs in /tmp, as on Linux.
 */
#include <stdint.h>
#include <unistd.h>

#include "../include/berth.h"

__attribute__((constructor)) static void berth_take_cwd(void) {
  char buf[1024];
  uint32_t len = sizeof buf;
  if (berth_getcwd(buf, &len) == 0 && len > 1 && len <= sizeof buf) {
    buf[len - 1] = 0;
    if (chdir(buf) != 0) {
      /* the directory is gone: stay at / */
    }
  }
}
