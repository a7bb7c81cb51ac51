/* head: the first lines or bytes of files (or all but the last), as busybox's. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text_usage.h"
#include "textopt.h"
#include "toolbox.h"

/* N with busybox's b/k/m multipliers; -1 when it is not a number. */
static long long head_count(const char *s) {
  char *end;
  errno = 0;
  long long n = strtoll(s, &end, 10);
  if (end == s || errno || n < 0) return -1;
  if (*end == 'b') n *= 512, end++;
  else if (*end == 'k') n *= 1024, end++;
  else if (*end == 'm') n *= 1024 * 1024, end++;
  return *end ? -1 : n;
}

/* Everything but the last N units (lines when by_line): a ring of the last N. */
static void head_but_last(FILE *f, long long n, int by_line) {
  if (!by_line) {
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int c;
    while ((c = getc(f)) != EOF) {
      if (len == cap) buf = tb_realloc(buf, cap = cap ? cap * 2 : 4096);
      buf[len++] = (char)c;
    }
    if ((long long)len > n) fwrite(buf, 1, len - (size_t)n, stdout);
    free(buf);
    return;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  if (n == 0) {
    while ((len = getline(&line, &cap, f)) >= 0) fwrite(line, 1, (size_t)len, stdout);
    free(line);
    return;
  }
  /* the last N lines wait in a ring; each line pushed out of it is printed */
  char **ring = tb_malloc(sizeof *ring * (size_t)n);
  size_t *lens = tb_malloc(sizeof *lens * (size_t)n);
  long long count = 0;
  while ((len = getline(&line, &cap, f)) >= 0) {
    long long at = count % n;
    if (count >= n) {
      fwrite(ring[at], 1, lens[at], stdout);
      free(ring[at]);
    }
    ring[at] = tb_malloc((size_t)len);
    memcpy(ring[at], line, (size_t)len);
    lens[at] = (size_t)len;
    count++;
  }
  for (long long k = count > n ? count - n : 0; k < count; k++) free(ring[k % n]);
  free(line);
  free(ring);
  free(lens);
}

static void head_first(FILE *f, long long n, int by_line) {
  int c;
  while (n > 0 && (c = getc(f)) != EOF) {
    putchar(c);
    if (!by_line || c == '\n') n--;
  }
}

int applet_head(int argc, char **argv) {
  long long n = 10;
  int by_line = 1, but_last = 0, headers = -1, opt, status = 0;
  /* the old form: head -5 */
  if (argc > 1 && argv[1][0] == '-' && argv[1][1] >= '0' && argv[1][1] <= '9') {
    n = head_count(argv[1] + 1);
    if (n < 0) {
      tb_error("invalid number '%s'", argv[1] + 1);
      return 1;
    }
    argv[1] = argv[0], argv++, argc--;
  }
  textopt_permute(argc, argv, "n:c:qv");
  while ((opt = getopt(argc, argv, ":n:c:qv")) != -1) {
    if (opt == 'n' || opt == 'c') {
      by_line = opt == 'n';
      const char *s = optarg;
      but_last = *s == '-';
      if (*s == '-' || *s == '+') s++;
      n = head_count(s);
      if (n < 0) {
        tb_error("invalid number '%s'", optarg);
        return 1;
      }
    } else if (opt == 'q') headers = 0;
    else if (opt == 'v') headers = 1;
    else return textopt_bad(opt, USAGE_HEAD, 1);
  }
  static char *dash[] = {"-", NULL};
  char **files = optind < argc ? argv + optind : dash;
  int nfiles = optind < argc ? argc - optind : 1;
  if (headers < 0) headers = nfiles > 1;
  for (int i = 0; i < nfiles; i++) {
    int is_stdin = !strcmp(files[i], "-");
    FILE *f = is_stdin ? stdin : fopen(files[i], "r");
    if (!f) {
      tb_error("%s: %s", files[i], strerror(errno));
      status = 1;
      continue;
    }
    if (headers) printf("%s==> %s <==\n", i ? "\n" : "", is_stdin ? "standard input" : files[i]);
    if (but_last) head_but_last(f, n, by_line);
    else head_first(f, n, by_line);
    if (!is_stdin) fclose(f);
  }
  return status;
}
