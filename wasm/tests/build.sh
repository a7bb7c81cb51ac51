#!/bin/sh
# Build the WASI test programs with Debian's clang and wasi-libc (fixed flags, so the
# output is reproducible). Usage: wasm/tests/build.sh [outdir]  (default wasm/tests/build)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/build}
mkdir -p "$out"
for src in "$here"/*.c; do
  name=$(basename "$src" .c)
  clang --target=wasm32-wasi -O2 -g0 -Wall -Wextra -Werror \
    -ffile-prefix-map="$here"=. -Wl,--strip-all \
    -o "$out/$name.wasm" "$src"
done
