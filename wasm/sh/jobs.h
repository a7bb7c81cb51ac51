/* jobs.c: job control of the interactive shell (process groups, the terminal's
 * foreground, the job table). Every hook does nothing unless job control is on. */
#ifndef BERTH_SH_JOBS_H
#define BERTH_SH_JOBS_H
struct pipeline;
extern int job_control;     /* on in an interactive shell on a terminal */
extern int job_interrupted; /* a foreground job died of SIGINT: abandon the command line */
void jobs_init(void);
/* A pipeline's process PID was spawned (FIRST: its first one, which leads the group). */
void job_child(int pid, int first, int background);
/* A foreground pipeline ended with STATUS: the shell takes the terminal back. */
void job_foreground_done(int status);
/* A pipeline went to the background with these processes. */
void job_background(struct pipeline *pl, const int *pids, int n);
/* Before a prompt: report background jobs that ended ("[1]+  Done  cmd"). */
void jobs_notify(void);
int jobs_builtin(int argc, char **argv);
#endif
