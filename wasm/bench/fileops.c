/*
 * Pure WASI preview1 guest for benchmarks run by both berth and node:wasi:
 *   fileops orc N PATH     open/read/close PATH N times
 *   fileops write MB PATH  write MB MiB to PATH in 1 MiB writes
 *   fileops hello          print one line
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char big[1 << 20];

int main(int argc, char **argv) {
  if (argc >= 4 && !strcmp(argv[1], "orc")) {
    long n = atol(argv[2]);
    char buf[64];
    for (long i = 0; i < n; i++) {
      int fd = open(argv[3], O_RDONLY);
      if (fd < 0 || read(fd, buf, sizeof buf) < 0) {
        perror(argv[3]);
        return 1;
      }
      close(fd);
    }
    return 0;
  }
  if (argc >= 4 && !strcmp(argv[1], "write")) {
    long mb = atol(argv[2]);
    memset(big, 'y', sizeof big);
    int fd = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
      perror(argv[3]);
      return 1;
    }
    for (long i = 0; i < mb; i++)
      if (write(fd, big, sizeof big) != (ssize_t)sizeof big) return 1;
    return close(fd) != 0;
  }
  if (argc >= 2 && !strcmp(argv[1], "hello")) {
    printf("hello\n");
    return 0;
  }
  fprintf(stderr, "usage: fileops orc N PATH | write MB PATH | hello\n");
  return 2;
}
