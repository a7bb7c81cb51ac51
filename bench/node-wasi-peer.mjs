// The node:wasi side of bench/kernel.bench.mjs, in its own process: node:wasi has been
// seen to crash Node when many WASI instances come and go in one process next to berth's
// workers, and a separate process keeps the two sides from disturbing each other.
// Usage: node node-wasi-peer.mjs MODULE DIR RUNS ARGS...   → prints a JSON array of ms
/* global WebAssembly */
import { openSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { WASI } from 'node:wasi';

const [modulePath, dir, runs, ...args] = process.argv.slice(2);
const module = new WebAssembly.Module(readFileSync(modulePath));
const devNull = openSync('/dev/null', 'w');
const times = [];
for (let i = 0; i < Number(runs); i++) {
  const t0 = performance.now();
  const wasi = new WASI({
    version: 'preview1',
    args: ['prog', ...args],
    preopens: { '/': dir },
    returnOnExit: true,
    stdout: devNull,
  });
  const code = wasi.start(new WebAssembly.Instance(module, wasi.getImportObject()));
  times.push(performance.now() - t0);
  if (code !== 0) {
    process.stderr.write(`node:wasi ${args.join(' ')} exited ${code}\n`);
    process.exit(1);
  }
}
process.stdout.write(JSON.stringify(times));
