/*
 * The parser: a script is a list of and-or lists of pipelines of commands; a command is
 * a simple command or a compound one (if, while, until, for, case, { }, ( ), a function
 * definition) whose bodies are lists again. Reserved words count only where a command
 * starts, as POSIX says.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"

struct parser {
  const char *src;
  struct token *t;
  int n, i;
  char *error;
};

static struct token *peek(struct parser *p) { return &p->t[p->i]; }

static const char *tok_name(struct token *t) {
  switch (t->type) {
  case T_WORD: return t->text;
  case T_PIPE: return "|";
  case T_AND: return "&&";
  case T_OR: return "||";
  case T_SEMI: return ";";
  case T_DSEMI: return ";;";
  case T_AMP: return "&";
  case T_NL: return "newline";
  case T_LT: return "<";
  case T_GT: return ">";
  case T_DGT: return ">>";
  case T_GTAND: return ">&";
  case T_LTAND: return "<&";
  case T_DLESS: return "<<";
  case T_LPAREN: return "(";
  case T_RPAREN: return ")";
  default: return "end of file";
  }
}

static void syntax(struct parser *p) {
  if (p->error) return;
  char buf[256];
  struct token *t = peek(p);
  /* as busybox words it: tokens in quotes, newline and end of file bare */
  if (t->type == T_NL || t->type == T_EOF)
    snprintf(buf, sizeof buf, "syntax error: unexpected %s", tok_name(t));
  else
    snprintf(buf, sizeof buf, "syntax error: unexpected \"%s\"", tok_name(t));
  p->error = xstrdup(buf);
}

static int is_word(struct parser *p, const char *w) { return peek(p)->type == T_WORD && !strcmp(peek(p)->text, w); }

static int is_reserved(const char *w) {
  static const char *const words[] = {"if", "then", "else", "elif", "fi", "do", "done", "case", "esac",
                                      "while", "until", "for", "in", "{", "}", "!", NULL};
  for (const char *const *r = words; *r; r++)
    if (!strcmp(*r, w)) return 1;
  return 0;
}

/* "unexpected X (expecting Y)", as busybox says when it knew what had to come. */
static void syntax_expecting(struct parser *p, const char *want) {
  if (p->error) return;
  struct token *t = peek(p);
  char got[128], buf[256];
  if (t->type == T_NL || t->type == T_EOF) snprintf(got, sizeof got, "%s", tok_name(t));
  else if (t->type == T_WORD && !is_reserved(t->text)) snprintf(got, sizeof got, "word");
  else snprintf(got, sizeof got, "\"%s\"", tok_name(t));
  snprintf(buf, sizeof buf, "syntax error: unexpected %s (expecting %s)", got, want);
  p->error = xstrdup(buf);
}

static int expect_word(struct parser *p, const char *w) {
  if (!is_word(p, w)) {
    char want[64];
    snprintf(want, sizeof want, "\"%s\"", w);
    syntax_expecting(p, want);
    return 0;
  }
  p->i++;
  return 1;
}

/* A compound command's body must not be empty; at end of file, say what closes it. */
static int need_body(struct parser *p, struct list *body, const char *closer) {
  if (p->error) return 0;
  if (body) return 1;
  if (peek(p)->type == T_EOF) {
    char want[64];
    snprintf(want, sizeof want, "\"%s\"", closer);
    syntax_expecting(p, want);
  } else
    syntax(p);
  return 0;
}

static void skip_newlines(struct parser *p) {
  while (peek(p)->type == T_NL) p->i++;
}

/* Does the next token end the list being parsed? `stops`: reserved words, ")" or ";;". */
static int at_stop(struct parser *p, const char *const *stops) {
  struct token *t = peek(p);
  if (t->type == T_EOF) return 1;
  for (; *stops; stops++) {
    if (t->type == T_RPAREN && !strcmp(*stops, ")")) return 1;
    if (t->type == T_DSEMI && !strcmp(*stops, ";;")) return 1;
    if (t->type == T_WORD && !strcmp(t->text, *stops)) return 1;
  }
  return 0;
}

static struct list *clist(struct parser *p, const char *const *stops);

static int is_redir(enum tok t) {
  return t == T_LT || t == T_GT || t == T_DGT || t == T_GTAND || t == T_LTAND || t == T_DLESS;
}

static struct cmd *new_cmd(enum cmd_kind kind) {
  struct cmd *c = calloc(1, sizeof *c);
  if (!c) die_oom();
  c->kind = kind;
  return c;
}

static char *slice(struct parser *p, size_t from, size_t to) {
  char *s = xmalloc(to - from + 1);
  memcpy(s, p->src + from, to - from);
  s[to - from] = 0;
  return s;
}

/* Redirections after a compound command, or among a simple command's words. */
static int redirection(struct parser *p, struct redir ***tail) {
  struct token *t = peek(p);
  struct redir *r = calloc(1, sizeof *r);
  if (!r) die_oom();
  r->op = t->type;
  r->fd = t->io >= 0 ? t->io : (t->type == T_LT || t->type == T_LTAND || t->type == T_DLESS ? 0 : 1);
  p->i++;
  if (peek(p)->type != T_WORD) {
    syntax(p);
    return 0;
  }
  r->target = peek(p)->text;
  r->heredoc = peek(p)->heredoc;
  r->heredoc_quoted = peek(p)->heredoc_quoted;
  if (r->op == T_DLESS && r->heredoc == NULL) r->heredoc = xstrdup(""); /* no newline after it */
  p->i++;
  **tail = r;
  *tail = &r->next;
  return 1;
}

static struct cmd *compound(struct parser *p) {
  static const char *const THEN[] = {"then", NULL}, *const ELSE[] = {"elif", "else", "fi", NULL},
                           *const FI[] = {"fi", NULL}, *const DO[] = {"do", NULL}, *const DONE[] = {"done", NULL},
                           *const BRACE[] = {"}", NULL}, *const PAREN[] = {")", NULL},
                           *const ITEM[] = {";;", "esac", NULL};
  struct token *t = peek(p);
  struct cmd *c;
  if (t->type == T_LPAREN) {
    c = new_cmd(C_SUBSHELL);
    p->i++;
    size_t from = peek(p)->start;
    c->body = clist(p, PAREN);
    if (!need_body(p, c->body, ")")) return NULL;
    size_t to = peek(p)->start;
    if (peek(p)->type != T_RPAREN) {
      syntax_expecting(p, "\")\"");
      return NULL;
    }
    c->word = slice(p, from, to);
    p->i++;
    return c;
  }
  if (is_word(p, "{")) {
    c = new_cmd(C_GROUP);
    p->i++;
    c->body = clist(p, BRACE);
    if (!need_body(p, c->body, "}") || !expect_word(p, "}")) return NULL;
    return c;
  }
  if (is_word(p, "if") || is_word(p, "elif")) {
    c = new_cmd(C_IF);
    p->i++;
    c->cond = clist(p, THEN);
    if (!need_body(p, c->cond, "then") || !expect_word(p, "then")) return NULL;
    c->body = clist(p, ELSE);
    if (!need_body(p, c->body, "fi")) return NULL;
    if (is_word(p, "elif")) {
      struct cmd *e = compound(p); /* consumes through the shared fi */
      if (!e) return NULL;
      c->orelse = calloc(1, sizeof *c->orelse);
      struct andor *a = calloc(1, sizeof *a);
      struct pipeline *pl = calloc(1, sizeof *pl);
      if (!c->orelse || !a || !pl) die_oom();
      pl->cmds = e;
      a->pipe = pl;
      c->orelse->andor = a;
      return c;
    }
    if (is_word(p, "else")) {
      p->i++;
      c->orelse = clist(p, FI);
      if (!need_body(p, c->orelse, "fi")) return NULL;
    }
    if (!expect_word(p, "fi")) return NULL;
    return c;
  }
  if (is_word(p, "while") || is_word(p, "until")) {
    c = new_cmd(is_word(p, "while") ? C_WHILE : C_UNTIL);
    p->i++;
    c->cond = clist(p, DO);
    if (!need_body(p, c->cond, "do") || !expect_word(p, "do")) return NULL;
    c->body = clist(p, DONE);
    if (!need_body(p, c->body, "done") || !expect_word(p, "done")) return NULL;
    return c;
  }
  if (is_word(p, "for")) {
    c = new_cmd(C_FOR);
    p->i++;
    const char *v = peek(p)->type == T_WORD ? peek(p)->text : "";
    int valid = (v[0] >= 'a' && v[0] <= 'z') || (v[0] >= 'A' && v[0] <= 'Z') || v[0] == '_';
    for (const char *q = v; *q && valid; q++)
      valid = (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') || *q == '_';
    if (!valid) {
      p->error = xstrdup("syntax error: bad for loop variable");
      return NULL;
    }
    c->var = peek(p)->text;
    p->i++;
    skip_newlines(p);
    if (is_word(p, "in")) {
      p->i++;
      size_t cap = 8;
      c->words = xmalloc(cap * sizeof *c->words);
      while (peek(p)->type == T_WORD) {
        if ((size_t)c->nwords + 1 >= cap) {
          cap *= 2;
          c->words = realloc(c->words, cap * sizeof *c->words);
          if (!c->words) die_oom();
        }
        c->words[c->nwords++] = peek(p)->text;
        p->i++;
      }
      c->words[c->nwords] = NULL;
      if (peek(p)->type != T_SEMI && peek(p)->type != T_NL) return syntax(p), NULL;
      p->i++;
    } else if (peek(p)->type == T_SEMI)
      p->i++;
    skip_newlines(p);
    if (!expect_word(p, "do")) return NULL;
    c->body = clist(p, DONE);
    if (!need_body(p, c->body, "done") || !expect_word(p, "done")) return NULL;
    return c;
  }
  if (is_word(p, "case")) {
    c = new_cmd(C_CASE);
    p->i++;
    if (peek(p)->type != T_WORD) return syntax_expecting(p, "word"), NULL;
    c->word = peek(p)->text;
    p->i++;
    skip_newlines(p);
    if (!expect_word(p, "in")) return NULL;
    skip_newlines(p);
    struct case_item **tail = &c->items;
    while (!is_word(p, "esac")) {
      struct case_item *it = calloc(1, sizeof *it);
      if (!it) die_oom();
      if (peek(p)->type == T_LPAREN) p->i++;
      if (peek(p)->type == T_EOF) {
        p->error = xstrdup("syntax error: unexpected end of file (expecting \")\")");
        return NULL;
      }
      it->patterns = xmalloc(16 * sizeof *it->patterns);
      for (;;) {
        if (peek(p)->type != T_WORD || it->npatterns >= 15) return syntax(p), NULL;
        it->patterns[it->npatterns++] = peek(p)->text;
        p->i++;
        if (peek(p)->type == T_PIPE) {
          p->i++;
          continue;
        }
        break;
      }
      if (peek(p)->type != T_RPAREN) return syntax(p), NULL;
      p->i++;
      it->body = clist(p, ITEM);
      if (p->error) return NULL;
      *tail = it;
      tail = &it->next;
      if (peek(p)->type == T_EOF) return syntax_expecting(p, "\";;\""), NULL;
      if (peek(p)->type == T_DSEMI) p->i++;
      skip_newlines(p);
      if (peek(p)->type == T_EOF) return syntax_expecting(p, "\")\""), NULL;
    }
    p->i++;
    return c;
  }
  return NULL;
}

/* Words that close or continue a compound command: never the start of a command. */
static int is_closing_word(struct parser *p) {
  static const char *const words[] = {"then", "else", "elif", "fi", "do", "done", "esac", "}", NULL};
  for (const char *const *w = words; *w; w++)
    if (is_word(p, *w)) return 1;
  return 0;
}

static struct cmd *command(struct parser *p) {
  size_t start = peek(p)->start;
  if (is_closing_word(p)) {
    syntax(p);
    return NULL;
  }
  int is_compound = peek(p)->type == T_LPAREN ||
                    (peek(p)->type == T_WORD && (is_word(p, "{") || is_word(p, "if") || is_word(p, "while") ||
                                                 is_word(p, "until") || is_word(p, "for") || is_word(p, "case")));
  struct cmd *c;
  if (is_compound) {
    c = compound(p);
    if (!c) {
      if (!p->error) syntax(p);
      return NULL;
    }
    struct redir **tail = &c->redirs;
    while (is_redir(peek(p)->type))
      if (!redirection(p, &tail)) return NULL;
  } else if (peek(p)->type == T_WORD && p->i + 2 < p->n && p->t[p->i + 1].type == T_LPAREN &&
             p->t[p->i + 2].type == T_RPAREN) {
    /* name() compound-command */
    c = new_cmd(C_FUNCDEF);
    c->var = peek(p)->text;
    p->i += 3;
    skip_newlines(p);
    struct cmd *body = command(p);
    if (!body) return NULL;
    c->body = calloc(1, sizeof *c->body);
    struct andor *a = calloc(1, sizeof *a);
    struct pipeline *pl = calloc(1, sizeof *pl);
    if (!c->body || !a || !pl) die_oom();
    pl->cmds = body;
    a->pipe = pl;
    c->body->andor = a;
  } else {
    c = new_cmd(C_SIMPLE);
    size_t cap = 8;
    c->words = xmalloc(cap * sizeof *c->words);
    struct redir **tail = &c->redirs;
    for (;;) {
      struct token *t = peek(p);
      if (t->type == T_WORD) {
        if ((size_t)c->nwords + 1 >= cap) {
          cap *= 2;
          c->words = realloc(c->words, cap * sizeof *c->words);
          if (!c->words) die_oom();
        }
        c->words[c->nwords++] = t->text;
        p->i++;
      } else if (is_redir(t->type)) {
        if (!redirection(p, &tail)) return NULL;
      } else
        break;
    }
    if (c->nwords == 0 && c->redirs == NULL) {
      syntax(p);
      return NULL;
    }
    c->words[c->nwords] = NULL;
  }
  c->line = 0;
  for (size_t k = 0; k < start; k++)
    if (p->src[k] == '\n') c->line++;
  c->text = slice(p, start, peek(p)->start);
  return c;
}

static struct pipeline *pipeline(struct parser *p) {
  struct pipeline *pl = calloc(1, sizeof *pl);
  if (!pl) die_oom();
  if (is_word(p, "!")) {
    pl->bang = 1;
    p->i++;
  }
  struct cmd **tail = &pl->cmds;
  for (;;) {
    struct cmd *c = command(p);
    if (!c) return NULL;
    *tail = c;
    tail = &c->next;
    if (peek(p)->type != T_PIPE) break;
    p->i++;
    skip_newlines(p);
  }
  return pl;
}

static struct andor *andor(struct parser *p) {
  struct andor *first = NULL, **tail = &first;
  int op = 0;
  for (;;) {
    struct andor *a = calloc(1, sizeof *a);
    if (!a) die_oom();
    a->op = op;
    a->pipe = pipeline(p);
    if (!a->pipe) return NULL;
    *tail = a;
    tail = &a->next;
    enum tok t = peek(p)->type;
    if (t != T_AND && t != T_OR) break;
    op = t == T_AND ? 1 : 2;
    p->i++;
    skip_newlines(p);
  }
  return first;
}

/* A list of and-or lists up to (not including) a stop token. NULL if empty or on error. */
static struct list *clist(struct parser *p, const char *const *stops) {
  struct list *first = NULL, **tail = &first;
  for (;;) {
    skip_newlines(p);
    if (at_stop(p, stops)) break;
    /* a ; (or &) where a command should be: `; ;`, a leading ; */
    if (peek(p)->type == T_SEMI || peek(p)->type == T_AMP || peek(p)->type == T_DSEMI || peek(p)->type == T_RPAREN) {
      syntax(p);
      return NULL;
    }
    struct list *l = calloc(1, sizeof *l);
    if (!l) die_oom();
    l->andor = andor(p);
    if (!l->andor) return NULL;
    if (peek(p)->type == T_AMP) {
      l->background = 1;
      p->i++;
    } else if (peek(p)->type == T_SEMI || peek(p)->type == T_NL)
      p->i++;
    else if (!at_stop(p, stops)) {
      if (stops[0]) {
        char want[64];
        snprintf(want, sizeof want, "\"%s\"", stops[0]);
        syntax_expecting(p, want);
      } else
        syntax(p);
      return NULL;
    }
    *tail = l;
    tail = &l->next;
  }
  return first;
}

struct parser *parse_begin(const char *src, struct token *toks, int count) {
  struct parser *p = calloc(1, sizeof *p);
  if (!p) die_oom();
  p->src = src;
  p->t = toks;
  p->n = count;
  return p;
}

/* One complete command line: and-or lists up to a newline at the top level. */
struct list *parse_next(struct parser *p, char **error, size_t *error_at, int *at_end) {
  static const char *const END[] = {NULL};
  *error = NULL;
  *at_end = 0;
  skip_newlines(p);
  if (peek(p)->type == T_EOF) {
    *at_end = 1;
    return NULL;
  }
  struct list *first = NULL, **tail = &first;
  for (;;) {
    if (peek(p)->type == T_SEMI || peek(p)->type == T_AMP || peek(p)->type == T_DSEMI || peek(p)->type == T_RPAREN) {
      syntax(p);
      break;
    }
    struct list *l = calloc(1, sizeof *l);
    if (!l) die_oom();
    l->andor = andor(p);
    if (!l->andor) break;
    *tail = l;
    tail = &l->next;
    if (peek(p)->type == T_AMP) {
      l->background = 1;
      p->i++;
    } else if (peek(p)->type == T_SEMI)
      p->i++;
    else if (peek(p)->type == T_NL) {
      p->i++;
      return first;
    } else if (!at_stop(p, END)) {
      syntax(p);
      break;
    }
    if (peek(p)->type == T_NL) {
      p->i++;
      return first;
    }
    if (peek(p)->type == T_EOF) return first;
  }
  if (!p->error) syntax(p);
  *error = p->error;
  *error_at = peek(p)->start;
  p->error = NULL;
  return NULL;
}

struct list *parse(const char *src, struct token *toks, int count, char **error) {
  static const char *const END[] = {NULL};
  struct parser p = {src, toks, count, 0, NULL};
  struct list *l = clist(&p, END);
  if (!p.error && peek(&p)->type != T_EOF) syntax(&p);
  *error = p.error;
  return p.error ? NULL : l;
}
