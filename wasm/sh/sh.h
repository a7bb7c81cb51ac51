/* berth's POSIX shell: shared declarations (lexer → parser → expander → executor). */
#ifndef BERTH_SH_H
#define BERTH_SH_H
#include <stddef.h>

enum tok { T_WORD, T_PIPE, T_AND, T_OR, T_SEMI, T_DSEMI, T_AMP, T_NL, T_LT, T_GT, T_DGT, T_GTAND, T_LTAND, T_DLESS, T_LPAREN, T_RPAREN, T_EOF };

struct token {
  enum tok type;
  char *text;   /* T_WORD: the raw word, quotes kept */
  char *heredoc; /* the word after << : the document's body; heredoc_quoted: no expansion */
  int heredoc_quoted;
  int io;       /* redirection: the fd before the operator, or -1 */
  size_t start; /* offset in the source */
};

struct redir {
  int fd;         /* the fd redirected */
  enum tok op;    /* T_LT, T_GT, T_DGT, T_GTAND, T_LTAND */
  char *target;   /* raw word */
  char *heredoc;  /* T_DLESS: the body */
  int heredoc_quoted;
  struct redir *next;
};

struct list;

/* What a command is: a simple command, or one of the compound commands. */
enum cmd_kind { C_SIMPLE, C_IF, C_WHILE, C_UNTIL, C_FOR, C_CASE, C_GROUP, C_SUBSHELL, C_FUNCDEF };

struct case_item {
  char **patterns;
  int npatterns;
  struct list *body;
  struct case_item *next;
};

struct cmd {
  enum cmd_kind kind;
  /* C_IF: cond/body, then `orelse` (an elif is a nested C_IF in it); loops: cond/body;
     C_FOR: var, words (NULL words = "$@"), body; C_CASE: word, items; C_GROUP/C_SUBSHELL:
     body; C_FUNCDEF: var (the name), body */
  struct list *cond, *body, *orelse;
  char *var;
  char *word;
  struct case_item *items;
  char **words; /* raw words: assignments first, then argv */
  int nwords;
  struct redir *redirs;
  char *text;   /* source text of the command (to run it in a child shell) */
  int line;     /* 0-based line of the source it starts on */
  struct cmd *next; /* next in the pipeline */
};

struct pipeline {
  struct cmd *cmds;
  int bang;
};

struct andor {
  struct pipeline *pipe;
  int op; /* how it joins the previous: 0 first, 1 &&, 2 || */
  struct andor *next;
};

struct list {
  struct andor *andor;
  int background;
  struct list *next;
};

/* lex.c */
/* On a bad word (an unterminated quote) lex returns the tokens before it, ending in
 * T_EOF at offset lex_error_at, and sets *error; otherwise lex_error_at is (size_t)-1. */
extern size_t lex_error_at;
extern int lex_heredoc_open; /* the last lex ended inside a here-document */
struct token *lex(const char *src, int *count, char **error);
/* parse.c */
struct list *parse(const char *src, struct token *toks, int count, char **error);
/* Command by command: parse_next gives the next top-level line of commands (NULL at the
 * end or on a syntax error, then *error says which and *error_at where). */
struct parser;
struct parser *parse_begin(const char *src, struct token *toks, int count);
struct list *parse_next(struct parser *p, char **error, size_t *error_at, int *at_end);
/* expand.c */
char **expand_words(char **raw, int n, int *out_count);
char *expand_one(const char *raw);
char *expand_heredoc(const char *body);
/* exec.c */
int run_list(struct list *l);
char *command_output(const char *script); /* $(…) */
int match_pattern(const char *pattern, const char *s);
extern int last_status;
extern int errexit, xtrace, nounset; /* set -e, -x, -u */
extern int returning, break_levels, continue_levels, script_file;
void report_syntax_error(const char *src, const char *error, size_t at);
int run_source_text(const char *src);
long arith(const char *s);
/* vars.c: which variables are exported */
void exports_init(void);
int is_exported(const char *name);
void set_exported(const char *name, int on);
char **exported_env(char **assigns, int nassign);
void free_env(char **env);
void print_exports(void);
/* subshell.c: child shells with the parent's state, in place of fork */
extern int shell_pid;
char **subshell_env(void);
int subshell_restore(void);
void function_texts(void (*each)(void *, const char *), void *arg);
/* The line of the command being run, as messages show it (busybox: 0-based for -c). */
extern int current_line;
extern int line_base;
extern const char *shell_path;
/* traps.c */
void set_trap(int sig, const char *action);
void run_pending_traps(void);
int pending_trap_signal(void);
void run_exit_trap(void);
/* builtins.c */
typedef int (*builtin_fn)(int argc, char **argv);
/* scope.c: local, readonly, let; assignments that respect readonly */
builtin_fn find_scope_builtin(const char *name);
void assign_var(const char *assignment);
size_t locals_mark(void);
void locals_restore(size_t mark);
int b_getopts(int argc, char **argv);
int run_program_here(char **argv);
builtin_fn find_builtin(const char *name);
/* main.c */
void die_oom(void);
char *xstrdup(const char *s);
void *xmalloc(size_t n);
#endif
