#!/bin/sh
# Build berth's WASI programs with Debian's clang and wasi-libc. Fixed flags and
# -ffile-prefix-map keep the output byte-identical from build to build.
# Usage: wasm/build.sh [outdir]   (default: wasm/build; the test programs: wasm/tests/build.sh)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/build}
# clang runs binaryen's wasm-opt on what it links whenever wasm-opt is on PATH, so the
# committed bytes depend on it: binaryen (Debian's 108) is required, not optional.
command -v wasm-opt >/dev/null || {
  echo "wasm/build.sh: wasm-opt not found: install binaryen (the committed builds were made with it)" >&2
  exit 1
}
mkdir -p "$out"
cc() {
  clang --target=wasm32-wasi -O2 -g0 -Wall -Wextra -Werror \
    -ffile-prefix-map="$here"=. -Wl,--strip-all -Wl,--stack-first -Wl,-z,stack-size=1048576 "$@"
}
# sh and the toolbox are made suspendable with binaryen's asyncify: a process blocked in a
# syscall for a while can unwind its stack and give its worker thread back, then be rewound
# in any worker when the call completes (src/kernel/proc/suspend.ts). Every import may
# unwind (binaryen's default), so any parked syscall can suspend.
suspendable() {
  wasm-opt -O2 --asyncify "$1" -o "$1.tmp" && cat "$1.tmp" >"$1" && rm "$1.tmp"
}
cc -o "$out/probe.wasm" "$here/probe/probe.c" "$here/lib/start.c"
cc -o "$out/sh.wasm" "$here"/sh/*.c "$here/lib/start.c" "$here/lib/sys_wasi.c" "$here/lib/sys_path.c" "$here/lib/tty_wasi.c" "$here/lib/test_expr.c" "$here/lib/printf_format.c"
cc -o "$out/fileops.wasm" "$here/bench/fileops.c"
cc -o "$out/toolbox.wasm" "$here"/toolbox/*.c "$here/lib/start.c" "$here/lib/sys_wasi.c" "$here/lib/sys_path.c" "$here/lib/test_expr.c" "$here/lib/printf_format.c"
suspendable "$out/sh.wasm"
suspendable "$out/toolbox.wasm"
