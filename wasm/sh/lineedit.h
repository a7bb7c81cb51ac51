/* lineedit.c: the interactive shell's line editor and history. */
#ifndef BERTH_SH_LINEEDIT_H
#define BERTH_SH_LINEEDIT_H
/* Show PROMPT, read a line with editing; NULL at end of file (^D on an empty line). A
 * line abandoned with ^C comes back empty. The result is malloc'd, without its newline. */
char *lineedit_read(const char *prompt);
extern int lineedit_interrupted; /* the last line was abandoned with ^C */
void history_add(const char *line);
int history_builtin(int argc, char **argv);
#endif
