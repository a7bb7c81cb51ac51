/* interactive.c: the shell's read-run loop on a terminal. Returns the exit status. */
#ifndef BERTH_SH_INTERACTIVE_H
#define BERTH_SH_INTERACTIVE_H
int interactive_main(void);
#endif
