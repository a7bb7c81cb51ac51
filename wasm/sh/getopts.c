/*
 * getopts OPTSTRING NAME [ARG…]: the next option from the positional parameters (or the
 * ARGs), as busybox ash does it: OPTIND counts the next argument, grouped options
 * (-ab) are walked with a position inside the word, OPTARG holds an option's argument;
 * an unknown option or a missing argument gives '?' and a message (none, and OPTARG set
 * to the option, when OPTSTRING starts with ':').
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"

extern char **script_args;
extern int script_argc;

static int next_char = 1; /* position in the current word, for -abc */
static int last_optind = 1;

static void set_int(const char *name, int v) {
  char buf[16];
  snprintf(buf, sizeof buf, "%d", v);
  setenv(name, buf, 1);
}

int b_getopts(int argc, char **argv) {
  if (argc < 3) {
    fputs("sh: getopts: usage: getopts optstring var [arg]\n", stderr);
    return 2;
  }
  const char *opts = argv[1], *var = argv[2];
  char **args = argc > 3 ? argv + 3 : script_args;
  int nargs = argc > 3 ? argc - 3 : script_argc;
  const char *oi = getenv("OPTIND");
  int optind = oi ? atoi(oi) : 1;
  if (optind < 1) optind = 1;
  if (optind != last_optind) next_char = 1; /* OPTIND was reset by the script */
  int silent = opts[0] == ':';
  unsetenv("OPTARG");
  /* as ash: OPTIND names the next word as soon as a word's first option is taken */
  int at = next_char == 1 ? optind : optind - 1; /* 1-based index of the current word */
  if (at > nargs) goto done;
  const char *word = args[at - 1];
  if (next_char == 1) {
    if (word[0] != '-' || word[1] == 0) goto done;
    if (!strcmp(word, "--")) {
      optind++;
      goto done;
    }
    optind = at + 1;
  }
  char c = word[next_char];
  const char *spec = strchr(opts + silent, c);
  char name[2] = {c, 0};
  if (!spec || c == ':') {
    if (silent) setenv("OPTARG", name, 1);
    else fprintf(stderr, "Illegal option -%c\n", c);
    setenv(var, "?", 1);
  } else if (spec[1] == ':') {
    const char *rest = word + next_char + 1; /* -bVALUE */
    next_char = 1;
    if (*rest) setenv("OPTARG", rest, 1);
    else if (optind <= nargs) setenv("OPTARG", args[optind++ - 1], 1);
    else {
      if (silent) {
        setenv("OPTARG", name, 1);
        setenv(var, ":", 1);
      } else {
        fprintf(stderr, "No arg for -%c option\n", c);
        setenv(var, "?", 1);
      }
      set_int("OPTIND", optind);
      last_optind = optind;
      return 0;
    }
    setenv(var, name, 1);
    set_int("OPTIND", optind);
    last_optind = optind;
    return 0;
  } else
    setenv(var, name, 1);
  if (word[next_char + 1]) next_char++;
  else next_char = 1;
  set_int("OPTIND", optind);
  last_optind = optind;
  return 0;
done:
  next_char = 1;
  setenv(var, "?", 1);
  set_int("OPTIND", optind);
  last_optind = optind;
  return 1;
}
