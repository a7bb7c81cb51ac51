/* sha256sum: SHA-256 digests of files (FIPS 180-4, computed here), and -c checking a
 * list of "DIGEST  NAME" lines; messages and exit codes as busybox's. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text_usage.h"
#include "textopt.h"
#include "toolbox.h"

struct sha256 {
  uint32_t h[8];
  uint64_t bytes;
  unsigned char block[64];
  size_t used;
};

static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_init(struct sha256 *s) {
  static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  memcpy(s->h, h0, sizeof h0);
  s->bytes = 0, s->used = 0;
}

/* The compression function over one 64-byte block (FIPS 180-4, 6.2.2). */
static void sha256_block(struct sha256 *s, const unsigned char *p) {
  uint32_t w[64], v[8];
  for (int t = 0; t < 16; t++)
    w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 | (uint32_t)p[4 * t + 2] << 8 | p[4 * t + 3];
  for (int t = 16; t < 64; t++) {
    uint32_t s0 = ROTR(w[t - 15], 7) ^ ROTR(w[t - 15], 18) ^ (w[t - 15] >> 3);
    uint32_t s1 = ROTR(w[t - 2], 17) ^ ROTR(w[t - 2], 19) ^ (w[t - 2] >> 10);
    w[t] = w[t - 16] + s0 + w[t - 7] + s1;
  }
  memcpy(v, s->h, sizeof v);
  for (int t = 0; t < 64; t++) {
    uint32_t e = v[4], a = v[0];
    uint32_t t1 = v[7] + (ROTR(e, 6) ^ ROTR(e, 11) ^ ROTR(e, 25)) + ((e & v[5]) ^ (~e & v[6])) + sha256_k[t] + w[t];
    uint32_t t2 = (ROTR(a, 2) ^ ROTR(a, 13) ^ ROTR(a, 22)) + ((a & v[1]) ^ (a & v[2]) ^ (v[1] & v[2]));
    memmove(v + 1, v, 7 * sizeof *v);
    v[4] += t1;
    v[0] = t1 + t2;
  }
  for (int i = 0; i < 8; i++) s->h[i] += v[i];
}

static void sha256_update(struct sha256 *s, const unsigned char *p, size_t n) {
  s->bytes += n;
  while (n > 0) {
    size_t take = 64 - s->used < n ? 64 - s->used : n;
    memcpy(s->block + s->used, p, take);
    s->used += take, p += take, n -= take;
    if (s->used == 64) sha256_block(s, s->block), s->used = 0;
  }
}

static void sha256_final(struct sha256 *s, char hex[65]) {
  uint64_t bits = s->bytes * 8;
  unsigned char pad[72] = {0x80};
  size_t padlen = (s->used < 56 ? 56 : 120) - s->used;
  for (int i = 0; i < 8; i++) pad[padlen + (size_t)i] = (unsigned char)(bits >> (56 - 8 * i));
  sha256_update(s, pad, padlen + 8);
  for (int i = 0; i < 8; i++) sprintf(hex + 8 * i, "%08x", s->h[i]);
}

/* The digest of a file ("-": stdin) in hex; 0 with a message when it cannot be read. */
static int sha256_file(const char *name, char hex[65]) {
  int fd = strcmp(name, "-") ? open(name, O_RDONLY) : 0;
  if (fd < 0) {
    tb_error("can't open '%s': %s", name, strerror(errno));
    return 0;
  }
  struct sha256 s;
  sha256_init(&s);
  static unsigned char buf[65536];
  struct stat st;
  ssize_t n = 0;
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) n = -1, errno = EISDIR;
  else
    while ((n = read(fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
      if (n > 0) sha256_update(&s, buf, (size_t)n);
  if (fd) close(fd);
  if (n < 0) {
    tb_error("can't read '%s': %s", name, strerror(errno));
    return 0;
  }
  sha256_final(&s, hex);
  return 1;
}

static int sha256_check(const char *list, int quiet, int warn) {
  FILE *f = strcmp(list, "-") ? fopen(list, "r") : stdin;
  if (!f) {
    tb_error("%s: %s", list, strerror(errno));
    return 1;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  int bad = 0, total = 0;
  while ((len = getline(&line, &cap, f)) >= 0) {
    if (len && line[len - 1] == '\n') line[--len] = 0;
    total++;
    /* "DIGEST  NAME" (a '*' before NAME: binary mode) */
    int ok = len > 66 && strspn(line, "0123456789abcdefABCDEF") == 64 && line[64] == ' ' &&
             (line[65] == ' ' || line[65] == '*');
    if (!ok) {
      if (warn) tb_error("invalid format");
      bad++;
      continue;
    }
    const char *name = line + 66;
    char hex[65];
    int match = sha256_file(name, hex) && !strncasecmp(hex, line, 64);
    if (!match) bad++;
    if (!quiet) printf("%s: %s\n", name, match ? "OK" : "FAILED");
  }
  free(line);
  if (f != stdin) fclose(f);
  if (bad && !quiet) tb_error("WARNING: %d of %d computed checksums did NOT match", bad, total);
  return bad ? 1 : 0;
}

int applet_sha256sum(int argc, char **argv) {
  int opt, check = 0, quiet = 0, warn = 0, status = 0;
  textopt_permute(argc, argv, "bcstw");
  while ((opt = getopt(argc, argv, ":bcstw")) != -1) {
    if (opt == 'c') check = 1;
    else if (opt == 's') quiet = 1;
    else if (opt == 'w') warn = 1;
    else if (opt != 'b' && opt != 't') return textopt_bad(opt, USAGE_SHA256SUM, 1);
  }
  static char *dash[] = {"-", NULL};
  char **files = optind < argc ? argv + optind : dash;
  for (; *files; files++) {
    if (check) {
      status |= sha256_check(*files, quiet, warn);
      continue;
    }
    char hex[65];
    if (sha256_file(*files, hex)) printf("%s  %s\n", hex, *files);
    else status = 1;
  }
  return status;
}
