#!/bin/sh
# Build berth's WASI programs with Debian's clang and wasi-libc. Fixed flags and
# -ffile-prefix-map keep the output byte-identical from build to build.
# Usage: wasm/build.sh [outdir]   (default: wasm/build; the test programs: wasm/tests/build.sh)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/build}
mkdir -p "$out"
cc() {
  clang --target=wasm32-wasi -O2 -g0 -Wall -Wextra -Werror \
    -ffile-prefix-map="$here"=. -Wl,--strip-all -Wl,--stack-first -Wl,-z,stack-size=1048576 "$@"
}
cc -o "$out/probe.wasm" "$here/probe/probe.c" "$here/lib/start.c"
cc -o "$out/sh.wasm" "$here"/sh/*.c "$here/lib/start.c" "$here/lib/sys_wasi.c" "$here/lib/sys_path.c" "$here/lib/tty_wasi.c" "$here/lib/test_expr.c" "$here/lib/printf_format.c"
cc -o "$out/fileops.wasm" "$here/bench/fileops.c"
cc -o "$out/toolbox.wasm" "$here"/toolbox/*.c "$here/lib/start.c" "$here/lib/sys_wasi.c" "$here/lib/sys_path.c" "$here/lib/test_expr.c" "$here/lib/printf_format.c"
