/*
 * trap: actions for signals and for the shell's exit. A caught signal only marks its
 * action pending (the kernel runs the handler as a syscall returns); the shell runs
 * pending actions between commands, as POSIX shells do.
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/sys.h"
#include "sh.h"

extern char *exit_trap;
int run_source_text(const char *src);

static char *actions[32];
static volatile int pending[32];

static void mark_pending(int sig) {
  if (sig > 0 && sig < 32) pending[sig] = 1;
}

void set_trap(int sig, const char *action) {
  free(actions[sig]);
  actions[sig] = action ? xstrdup(action) : NULL;
  /* '' ignores the signal; an action catches it; - restores the default */
  sys_signal(sig, action == NULL ? SYS_SIG_DFL : action[0] == 0 ? SYS_SIG_IGN : SYS_SIG_CATCH, mark_pending);
}

/* The lowest signal whose trap action is pending, or 0: it interrupts the `wait` builtin. */
int pending_trap_signal(void) {
  for (int s = 1; s < 32; s++)
    if (pending[s] && actions[s]) return s;
  return 0;
}

void run_pending_traps(void) {
  for (int s = 1; s < 32; s++)
    if (pending[s]) {
      pending[s] = 0;
      if (actions[s]) {
        int saved = last_status;
        run_source_text(actions[s]);
        last_status = saved;
      }
    }
}

void run_exit_trap(void) {
  if (!exit_trap) return;
  char *t = exit_trap;
  exit_trap = NULL;
  run_source_text(t);
}
