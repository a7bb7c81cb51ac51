#!/bin/sh
# Build berth's sh and toolbox natively for Linux (static, glibc, gcc) from the same
# sources as the WASI build, with wasm/lib/sys_native.c in place of sys_wasi.c and
# start.c. Fixed flags, mapped paths, no build id and stripped symbols keep the output
# byte-identical from build to build. snprintf truncation is deliberate where it happens
# (gcc -O2 warns of it, clang does not).
# Usage: wasm/build-native.sh [outdir]   (default: wasm/build/linux-amd64)
set -eu
export LC_ALL=C # the glob's order, the compiler's messages
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/build/linux-amd64}
mkdir -p "$out"
cc() {
  gcc -static -O2 -g0 -Wall -Wextra -Werror -Wno-format-truncation -fno-ident \
    -ffile-prefix-map="$here"=. -Wl,--build-id=none -s "$@"
}
# OUT from DIR/*.c and every lib/*.c but the WASI side (start.c, *_wasi.c): sys_native.c,
# tty_native.c once it exists, the shared helpers
build() {
  target=$1
  set -- "$here/$2"/*.c
  for f in "$here"/lib/*.c; do
    case ${f##*/} in start.c | *_wasi.c) ;; *) set -- "$@" "$f" ;; esac
  done
  cc -o "$target" "$@"
}
build "$out/sh" sh
build "$out/toolbox" toolbox
