/*
 * Line editing for the interactive shell, as busybox's lineedit does it: the terminal in
 * raw mode, the shell echoing and redrawing the line itself. Keys: printable characters
 * insert at the cursor; Left/Right (^B/^F), Home/End (^A/^E), Backspace (DEL, ^H),
 * Delete, ^K (to the end), ^U (to the start), ^W (a word back), Up/Down (^P/^N) walk the
 * history, ^C abandons the line, ^D deletes under the cursor or, on an empty line, is end
 * of file. The line is kept as bytes; the cursor moves over whole UTF-8 characters.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/tty.h"
#include "lineedit.h"
#include "sh.h"

#define HISTORY_MAX 255

static char *history[HISTORY_MAX];
static int history_len;

struct line {
  char *buf;
  size_t len, cap, cur;
};

/* Screen output, gathered and written once per key. */
static char out[8192];
static size_t out_len;

static void put(const char *s, size_t n) {
  while (n > 0) {
    if (out_len == sizeof out) {
      (void)!write(1, out, out_len);
      out_len = 0;
    }
    size_t k = sizeof out - out_len < n ? sizeof out - out_len : n;
    memcpy(out + out_len, s, k);
    out_len += k, s += k, n -= k;
  }
}

static void puts_(const char *s) { put(s, strlen(s)); }

static void flush_out(void) {
  size_t at = 0;
  while (at < out_len) {
    ssize_t w = write(1, out + at, out_len - at);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) break;
    at += (size_t)w;
  }
  out_len = 0;
}

static int is_cont(char c) { return ((unsigned char)c & 0xc0) == 0x80; }

/* Columns the bytes [from, to) take: one per character. */
static size_t columns(const struct line *l, size_t from, size_t to) {
  size_t n = 0;
  for (size_t i = from; i < to; i++)
    if (!is_cont(l->buf[i])) n++;
  return n;
}

static void back(size_t cols) {
  while (cols--) put("\b", 1);
}

/* Redraw from the cursor to the end, clear what was past it, put the cursor back. */
static void redraw_rest(const struct line *l) {
  put(l->buf + l->cur, l->len - l->cur);
  puts_("\x1b[K");
  back(columns(l, l->cur, l->len));
}

static void insert(struct line *l, const char *s, size_t n) {
  if (l->len + n + 1 > l->cap) {
    l->cap = (l->len + n + 1) * 2;
    l->buf = realloc(l->buf, l->cap);
    if (!l->buf) die_oom();
  }
  memmove(l->buf + l->cur + n, l->buf + l->cur, l->len - l->cur);
  memcpy(l->buf + l->cur, s, n);
  l->len += n;
  put(l->buf + l->cur, n);
  l->cur += n;
  if (l->cur < l->len) redraw_rest(l);
}

/* Delete bytes [from, to) around the cursor (the cursor ends at from). */
static void delete_range(struct line *l, size_t from, size_t to) {
  if (from >= to) return;
  back(columns(l, from, l->cur));
  memmove(l->buf + from, l->buf + to, l->len - to);
  l->len -= to - from;
  l->cur = from;
  redraw_rest(l);
}

static size_t prev_char(const struct line *l, size_t at) {
  if (at == 0) return 0;
  do at--;
  while (at > 0 && is_cont(l->buf[at]));
  return at;
}

static size_t next_char(const struct line *l, size_t at) {
  if (at >= l->len) return l->len;
  do at++;
  while (at < l->len && is_cont(l->buf[at]));
  return at;
}

static void move_to(struct line *l, size_t to) {
  if (to < l->cur) back(columns(l, to, l->cur));
  else put(l->buf + l->cur, to - l->cur);
  l->cur = to;
}

/* Replace the whole line (a history entry). */
static void replace(struct line *l, const char *s) {
  move_to(l, 0);
  l->len = 0;
  insert(l, s, strlen(s));
  puts_("\x1b[K");
}

static int is_space(char c) { return c == ' ' || c == '\t'; }

/* One byte from the terminal; -1 at end of file. */
static int read_key(void) {
  unsigned char c;
  for (;;) {
    ssize_t n = read(0, &c, 1);
    if (n == 1) return c;
    if (n < 0 && errno == EINTR) continue;
    return -1;
  }
}

enum { K_NONE = 0, K_UP = 256, K_DOWN, K_LEFT, K_RIGHT, K_HOME, K_END, K_DELETE };

/* After ESC: CSI (ESC [ … final) and SS3 (ESC O x) sequences of the keys it knows. */
static int read_escape(void) {
  int c = read_key();
  if (c != '[' && c != 'O') return K_NONE;
  int num = 0, k;
  while ((k = read_key()) >= '0' && k <= '9') num = num * 10 + (k - '0');
  while (k == ';' || (k >= '0' && k <= '9')) k = read_key(); /* modifiers: ignored */
  switch (k) {
  case 'A': return K_UP;
  case 'B': return K_DOWN;
  case 'C': return K_RIGHT;
  case 'D': return K_LEFT;
  case 'H': return K_HOME;
  case 'F': return K_END;
  case '~':
    if (num == 1 || num == 7) return K_HOME;
    if (num == 4 || num == 8) return K_END;
    if (num == 3) return K_DELETE;
    return K_NONE;
  default: return K_NONE;
  }
}

void history_add(const char *line) {
  if (!*line) return;
  if (history_len > 0 && !strcmp(history[history_len - 1], line)) return;
  if (history_len == HISTORY_MAX) {
    free(history[0]);
    memmove(history, history + 1, (HISTORY_MAX - 1) * sizeof *history);
    history_len--;
  }
  history[history_len++] = xstrdup(line);
}

int history_builtin(int argc, char **argv) {
  (void)argc, (void)argv;
  for (int i = 0; i < history_len; i++) printf("%4d %s\n", i, history[i]);
  return 0;
}

int lineedit_interrupted;

char *lineedit_read(const char *prompt) {
  lineedit_interrupted = 0;
  struct tty_modes saved;
  int raw = tty_save(0, &saved) == 0 && tty_raw(0) == 0;
  struct line l = {xmalloc(128), 0, 128, 0};
  int at = history_len; /* history_len: the line being typed */
  char *typed = NULL;   /* it, while walking the history */
  char *result = NULL;
  puts_(prompt);
  flush_out();
  for (;;) {
    int k = read_key();
    if (k == 0x1b) k = read_escape();
    if (k < 0) break; /* end of file */
    if (k == '\r' || k == '\n') {
      puts_("\n");
      l.buf[l.len] = 0;
      result = l.buf;
      break;
    }
    switch (k) {
    case 0x03: /* ^C: abandon the line */
      lineedit_interrupted = 1;
      move_to(&l, l.len);
      puts_("^C\n");
      l.buf[0] = 0;
      result = l.buf;
      goto done;
    case 0x04: /* ^D */
      if (l.len == 0) {
        puts_("\n");
        goto done;
      }
      delete_range(&l, l.cur, next_char(&l, l.cur));
      break;
    case K_DELETE: delete_range(&l, l.cur, next_char(&l, l.cur)); break;
    case 0x7f:
    case 0x08: delete_range(&l, prev_char(&l, l.cur), l.cur); break;
    case 0x01:
    case K_HOME: move_to(&l, 0); break;
    case 0x05:
    case K_END: move_to(&l, l.len); break;
    case 0x02:
    case K_LEFT: move_to(&l, prev_char(&l, l.cur)); break;
    case 0x06:
    case K_RIGHT: move_to(&l, next_char(&l, l.cur)); break;
    case 0x0b: delete_range(&l, l.cur, l.len); break;
    case 0x15: delete_range(&l, 0, l.cur); break;
    case 0x17: { /* ^W: the spaces before the cursor, then the word */
      size_t from = l.cur;
      while (from > 0 && is_space(l.buf[from - 1])) from--;
      while (from > 0 && !is_space(l.buf[from - 1])) from--;
      delete_range(&l, from, l.cur);
      break;
    }
    case 0x0c: /* ^L: clear the screen, redraw */
      puts_("\x1b[H\x1b[J");
      puts_(prompt);
      put(l.buf, l.len);
      back(columns(&l, l.cur, l.len));
      break;
    case 0x10:
    case K_UP:
    case 0x0e:
    case K_DOWN: {
      int up = k == 0x10 || k == K_UP;
      int to = up ? at - 1 : at + 1;
      if (to < 0 || to > history_len) break;
      if (at == history_len) {
        free(typed);
        l.buf[l.len] = 0;
        typed = xstrdup(l.buf);
      }
      at = to;
      replace(&l, at == history_len ? typed : history[at]);
      break;
    }
    default:
      if (k >= 0x20 && k < 0x100 && k != 0x7f) {
        char c = (char)k;
        insert(&l, &c, 1);
      }
    }
    flush_out();
  }
done:
  flush_out();
  free(typed);
  if (raw) tty_restore(0, &saved);
  if (!result) free(l.buf);
  return result;
}
