/* The lexer: words (quotes and escapes kept raw for the expander) and operators. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"

static int is_op_char(char c) {
  return c == '|' || c == '&' || c == ';' || c == '<' || c == '>' || c == '\n' || c == '(' || c == ')';
}

/* Skip a $( … ) or ` … ` starting at src[i]; returns the index after it, or 0 if unterminated. */
static size_t skip_subst(const char *src, size_t i, size_t len) {
  if (src[i] == '`') {
    for (i++; i < len; i++) {
      if (src[i] == '\\') i++;
      else if (src[i] == '`') return i + 1;
    }
    return 0;
  }
  int depth = 0;
  for (; i < len; i++) {
    char c = src[i];
    if (c == '\\') i++;
    else if (c == '\'') {
      for (i++; i < len && src[i] != '\''; i++) {
      }
    } else if (c == '"') {
      for (i++; i < len && src[i] != '"'; i++)
        if (src[i] == '\\') i++;
    } else if (c == '(') depth++;
    else if (c == ')' && --depth == 0) return i + 1;
  }
  return 0;
}

struct token *lex(const char *src, int *count, char **error) {
  size_t cap = 16, n = 0, i = 0, len = strlen(src);
  struct token *toks = xmalloc(cap * sizeof *toks);
  while (1) {
    if (n + 1 >= cap) {
      cap *= 2;
      toks = realloc(toks, cap * sizeof *toks);
      if (!toks) die_oom();
    }
    while (i < len && (src[i] == ' ' || src[i] == '\t')) i++;
    if (i < len && src[i] == '\\' && src[i + 1] == '\n') {
      i += 2;
      continue;
    }
    if (i < len && src[i] == '#') {
      while (i < len && src[i] != '\n') i++;
      continue;
    }
    struct token *t = &toks[n];
    t->io = -1;
    t->text = NULL;
    t->start = i;
    if (i >= len) {
      t->type = T_EOF;
      n++;
      break;
    }
    /* an IO number: digits right before < or > */
    size_t j = i;
    while (j < len && isdigit((unsigned char)src[j])) j++;
    if (j > i && j < len && (src[j] == '<' || src[j] == '>')) {
      t->io = atoi(src + i);
      i = j;
    }
    char c = src[i];
    if (is_op_char(c)) {
      char d = i + 1 < len ? src[i + 1] : 0;
      if (c == '|' && d == '|') t->type = T_OR, i += 2;
      else if (c == '|') t->type = T_PIPE, i++;
      else if (c == '&' && d == '&') t->type = T_AND, i += 2;
      else if (c == '&') t->type = T_AMP, i++;
      else if (c == ';' && d == ';') t->type = T_DSEMI, i += 2;
      else if (c == ';') t->type = T_SEMI, i++;
      else if (c == '(') t->type = T_LPAREN, i++;
      else if (c == ')') t->type = T_RPAREN, i++;
      else if (c == '\n') t->type = T_NL, i++;
      else if (c == '>' && d == '>') t->type = T_DGT, i += 2;
      else if (c == '>' && d == '&') t->type = T_GTAND, i += 2;
      else if (c == '<' && d == '&') t->type = T_LTAND, i += 2;
      else if (c == '>') t->type = T_GT, i++;
      else t->type = T_LT, i++;
      n++;
      continue;
    }
    /* a word: up to an unquoted blank or operator */
    size_t start = i;
    while (i < len) {
      char ch = src[i];
      if (ch == ' ' || ch == '\t' || is_op_char(ch)) break;
      if (ch == '\\') {
        i += (i + 1 < len) ? 2 : 1;
      } else if (ch == '\'') {
        i++;
        while (i < len && src[i] != '\'') i++;
        if (i >= len) {
          *error = xstrdup("syntax error: unterminated quoted string");
          return NULL;
        }
        i++;
      } else if (ch == '"') {
        i++;
        while (i < len && src[i] != '"') {
          if (src[i] == '$' && i + 1 < len && src[i + 1] == '(') {
            size_t end = skip_subst(src, i + 1, len);
            i = end ? end : len;
          } else
            i += (src[i] == '\\' && i + 1 < len) ? 2 : 1;
        }
        if (i >= len) {
          *error = xstrdup("syntax error: unterminated quoted string");
          return NULL;
        }
        i++;
      } else if (ch == '$' && i + 1 < len && src[i + 1] == '{') {
        while (i < len && src[i] != '}') i++;
        if (i < len) i++;
      } else if ((ch == '$' && i + 1 < len && src[i + 1] == '(') || ch == '`') {
        size_t end = skip_subst(src, ch == '$' ? i + 1 : i, len);
        if (end == 0) {
          *error = xstrdup(ch == '`' ? "syntax error: unterminated quoted string" : "syntax error: unexpected end of file");
          return NULL;
        }
        i = end;
      } else
        i++;
    }
    t->type = T_WORD;
    t->text = xmalloc(i - start + 1);
    memcpy(t->text, src + start, i - start);
    t->text[i - start] = 0;
    n++;
  }
  *count = (int)n;
  return toks;
}
