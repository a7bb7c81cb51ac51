/* The parser: lists of and-or lists of pipelines of simple commands. */
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
  case T_AMP: return "&";
  case T_NL: return "newline";
  case T_LT: return "<";
  case T_GT: return ">";
  case T_DGT: return ">>";
  case T_GTAND: return ">&";
  case T_LTAND: return "<&";
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

static int is_redir(enum tok t) { return t == T_LT || t == T_GT || t == T_DGT || t == T_GTAND || t == T_LTAND; }

static struct cmd *command(struct parser *p) {
  struct cmd *c = calloc(1, sizeof *c);
  if (!c) die_oom();
  size_t start = peek(p)->start, cap = 8;
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
      struct redir *r = calloc(1, sizeof *r);
      if (!r) die_oom();
      r->op = t->type;
      r->fd = t->io >= 0 ? t->io : (t->type == T_LT || t->type == T_LTAND ? 0 : 1);
      p->i++;
      if (peek(p)->type != T_WORD) {
        syntax(p);
        return NULL;
      }
      r->target = peek(p)->text;
      p->i++;
      *tail = r;
      tail = &r->next;
    } else
      break;
  }
  if (c->nwords == 0 && c->redirs == NULL) {
    syntax(p);
    return NULL;
  }
  c->words[c->nwords] = NULL;
  c->line = 0;
  for (size_t k = 0; k < start; k++)
    if (p->src[k] == '\n') c->line++;
  size_t end = peek(p)->start;
  c->text = xmalloc(end - start + 1);
  memcpy(c->text, p->src + start, end - start);
  c->text[end - start] = 0;
  return c;
}

static struct pipeline *pipeline(struct parser *p) {
  struct pipeline *pl = calloc(1, sizeof *pl);
  if (!pl) die_oom();
  if (peek(p)->type == T_WORD && !strcmp(peek(p)->text, "!")) {
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
    while (peek(p)->type == T_NL) p->i++;
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
    while (peek(p)->type == T_NL) p->i++;
  }
  return first;
}

struct list *parse(const char *src, struct token *toks, int count, char **error) {
  struct parser p = {src, toks, count, 0, NULL};
  struct list *first = NULL, **tail = &first;
  for (;;) {
    while (peek(&p)->type == T_NL) p.i++;
    /* a ; (or &) where a command should be: `; ;`, a leading ; */
    if (peek(&p)->type == T_SEMI || peek(&p)->type == T_AMP) {
      syntax(&p);
      *error = p.error;
      return NULL;
    }
    if (peek(&p)->type == T_EOF) break;
    struct list *l = calloc(1, sizeof *l);
    if (!l) die_oom();
    l->andor = andor(&p);
    if (!l->andor) {
      *error = p.error;
      return NULL;
    }
    if (peek(&p)->type == T_AMP) {
      l->background = 1;
      p.i++;
    } else if (peek(&p)->type == T_SEMI || peek(&p)->type == T_NL)
      p.i++;
    else if (peek(&p)->type != T_EOF) {
      syntax(&p);
      *error = p.error;
      return NULL;
    }
    *tail = l;
    tail = &l->next;
  }
  return first;
}
