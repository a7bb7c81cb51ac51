/* printf for sh and the toolbox: the status (0, 1 for an invalid number, 2 usage). */
#ifndef BERTH_PRINTF_FORMAT_H
#define BERTH_PRINTF_FORMAT_H
int printf_main(const char *program, int argc, char **argv);
#endif
