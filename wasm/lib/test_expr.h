/* test / [ for sh and the toolbox: status 0 true, 1 false, 2 error (messages as PROGRAM: …). */
#ifndef BERTH_TEST_EXPR_H
#define BERTH_TEST_EXPR_H
int test_main(const char *program, int argc, char **argv);
#endif
