/* test and [ as applets: wasm/lib's test (shared with sh's builtin), told by the name
 * they were called by, so that "/bin/[" wants its closing "]" too. */
#include "../lib/test_expr.h"
#include "toolbox.h"

int applet_test(int argc, char **argv) {
  argv[0] = (char *)applet_name;
  return test_main(applet_name, argc, argv);
}
