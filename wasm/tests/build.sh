#!/bin/sh
# Build the WASI test programs with Debian's clang and wasi-libc (fixed flags, so the
# output is reproducible). Usage: wasm/tests/build.sh [outdir]  (default wasm/tests/build)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/build}
# clang runs binaryen's wasm-opt on what it links whenever wasm-opt is on PATH, so the
# committed bytes depend on it: binaryen (Debian's 108) is required, not optional.
command -v wasm-opt >/dev/null || {
  echo "wasm/tests/build.sh: wasm-opt not found: install binaryen (the committed builds were made with it)" >&2
  exit 1
}
mkdir -p "$out"
for src in "$here"/*.c; do
  name=$(basename "$src" .c)
  clang --target=wasm32-wasi -O2 -g0 -Wall -Wextra -Werror \
    -ffile-prefix-map="$here"=. -Wl,--strip-all \
    -o "$out/$name.wasm" "$src"
done
