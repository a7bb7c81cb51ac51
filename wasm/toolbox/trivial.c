/* true, false: exit statuses only. */
#include "toolbox.h"

int applet_true(int argc, char **argv) {
  (void)argc, (void)argv;
  return 0;
}

int applet_false(int argc, char **argv) {
  (void)argc, (void)argv;
  return 1;
}
