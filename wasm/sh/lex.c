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

size_t lex_error_at;
int lex_heredoc_open;

struct token *lex(const char *src, int *count, char **error) {
  size_t cap = 16, n = 0, i = 0, len = strlen(src), pending_from = 0, word_start = 0;
  lex_error_at = (size_t)-1;
  lex_heredoc_open = 0;
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
    t->heredoc = NULL;
    t->heredoc_quoted = 0;
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
      else if (c == '\n') {
        t->type = T_NL, i++;
        /* here-documents started on this line: their bodies follow it */
        for (size_t k = pending_from; k < n; k++) {
          if (toks[k].type != T_DLESS || k + 1 >= n || toks[k + 1].type != T_WORD || toks[k + 1].heredoc) continue;
          struct token *w = &toks[k + 1];
          int strip = toks[k].io == -2;
          if (toks[k].io == -2) toks[k].io = -1;
          /* the delimiter with quotes removed; quoting it turns expansion off */
          char delim[256];
          size_t dn = 0;
          for (const char *q = w->text; *q && dn + 1 < sizeof delim; q++)
            if (*q == '\'' || *q == '"' || *q == '\\') w->heredoc_quoted = 1;
            else
              delim[dn++] = *q;
          delim[dn] = 0;
          size_t bcap = 256, bn = 0;
          char *body = xmalloc(bcap);
          int found = 0;
          while (i < len) {
            size_t ls = i;
            while (i < len && src[i] != '\n') i++;
            size_t le = i;
            if (i < len) i++;
            if (strip)
              while (ls < le && src[ls] == '\t') ls++;
            if (le - ls == dn && !strncmp(src + ls, delim, dn)) {
              found = 1;
              break;
            }
            while (bn + (le - ls) + 2 > bcap) {
              bcap *= 2;
              body = realloc(body, bcap);
              if (!body) die_oom();
            }
            memcpy(body + bn, src + ls, le - ls);
            bn += le - ls;
            body[bn++] = '\n';
          }
          body[bn] = 0;
          w->heredoc = body;
          if (!found) lex_heredoc_open = 1; /* it ends at end of file, as in busybox; a terminal reads on */
        }
        pending_from = n + 1;
      }
      else if (c == '>' && d == '>') t->type = T_DGT, i += 2;
      else if (c == '>' && d == '&') t->type = T_GTAND, i += 2;
      else if (c == '<' && d == '&') t->type = T_LTAND, i += 2;
      else if (c == '<' && d == '<') {
        t->type = T_DLESS, i += 2;
        if (i < len && src[i] == '-') t->io = t->io >= 0 ? t->io : -2, i++; /* <<- strips tabs */
      }
      else if (c == '>') t->type = T_GT, i++;
      else t->type = T_LT, i++;
      n++;
      continue;
    }
    /* a word: up to an unquoted blank or operator */
    size_t start = i;
    word_start = start;
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
          goto fail;
        }
        i++;
      } else if (ch == '"') {
        i++;
        while (i < len && src[i] != '"') {
          if (src[i] == '$' && i + 1 < len && src[i + 1] == '(') {
            size_t end = skip_subst(src, i + 1, len);
            i = end ? end : len;
          } else if (src[i] == '$' && i + 1 < len && src[i + 1] == '{') {
            /* ${…} may hold quotes of its own: "${X:-"a b"}" is one word */
            i += 2;
            while (i < len && src[i] != '}') {
              if (src[i] == '"' || src[i] == '\'') {
                char q = src[i++];
                while (i < len && src[i] != q) i += (q == '"' && src[i] == '\\' && i + 1 < len) ? 2 : 1;
              }
              if (i < len) i++;
            }
            if (i < len) i++;
          } else
            i += (src[i] == '\\' && i + 1 < len) ? 2 : 1;
        }
        if (i >= len) {
          *error = xstrdup("syntax error: unterminated quoted string");
          goto fail;
        }
        i++;
      } else if (ch == '$' && i + 1 < len && src[i + 1] == '{') {
        while (i < len && src[i] != '}') i++;
        if (i < len) i++;
      } else if ((ch == '$' && i + 1 < len && src[i + 1] == '(') || ch == '`') {
        size_t end = skip_subst(src, ch == '$' ? i + 1 : i, len);
        if (end == 0) {
          *error = xstrdup(ch == '`' ? "syntax error: unterminated quoted string"
                                      : "syntax error: unexpected end of file (expecting \")\")");
          goto fail;
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
fail:
  /* the commands before the bad word still run, as busybox reads command by command */
  lex_error_at = word_start;
  /* the whole line with the bad word is dropped: it never runs in part */
  while (n > 0 && toks[n - 1].type != T_NL) n--;
  toks[n].type = T_EOF;
  toks[n].start = word_start;
  *count = (int)n;
  return toks;
}
