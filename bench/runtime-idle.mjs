/* global setTimeout */
// Helper for runtime.bench.mjs, run as its own Node process (with --max-old-space-size=2048
// and --expose-gc): how many idle emulated containers (PID 1 `sleep 100000` from berth's
// toolbox image) one Node process holds before its RSS reaches a budget. Prints one JSON
// line: { mode, count, stop, baseline, samples: [{ n, rss, heap, external, ms }] }.
// argv: <berth root holding berth/toolbox:latest> <mode: containers|workers> <budget MB> <cap> <seconds>
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import '../dist/node/platform.js';
import { imageLayerTrees } from '../dist/images/export-filesystem.js';
import { Kernel } from '../dist/kernel/proc/kernel.js';
import { openImageStore } from '../dist/node/image-store.js';
import { platform } from '../dist/platform.js';
import { runEmulated } from '../dist/runtime/emulated.js';
import { TOOLBOX_IMAGE, WASI_PLATFORM } from '../dist/toolbox/image.js';

const [root, mode = 'containers', budgetMb = '2048', capArg = '1500', secondsArg = '150'] =
  process.argv.slice(2);
const budget = Number(budgetMb) * 1048576;
const cap = Number(capArg);
const deadline = performance.now() + Number(secondsArg) * 1000;
const BATCH = 25;
const discard = { type: 'stdio', write: () => {} };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function usage(n, t0) {
  globalThis.gc?.();
  const m = process.memoryUsage();
  return { n, rss: m.rss, heap: m.heapUsed, external: m.external, ms: performance.now() - t0 };
}

const store = await openImageStore(root);
const image = await store.resolve(TOOLBOX_IMAGE, WASI_PLATFORM);
const layers = (await imageLayerTrees(store.content, image)).map((t) => t.root);
const kernel = new Kernel({ workers: platform().workers(), pool: 2 });
const held = [];

/** One more idle thing: a container whose PID 1 sleeps, or (mode workers) a bare worker. */
async function startOne() {
  if (mode === 'workers') {
    const w = new Worker(
      "const { parentPort } = require('node:worker_threads'); parentPort.on('message', () => {}); parentPort.postMessage('up')",
      { eval: true },
    );
    await new Promise((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
    held.push(w);
    return;
  }
  const run = await runEmulated(kernel, {
    layers,
    config: image.config,
    cmd: ['sleep', '100000'],
    stdio: [undefined, discard, discard],
  });
  let exited = false;
  run.init.exited.then(() => void (exited = true));
  held.push(run);
  return () => exited;
}

// warm: one container run to exit, so the compiled module is cached and the pool is full
const warm = await runEmulated(kernel, {
  layers,
  config: image.config,
  cmd: ['true'],
  stdio: [undefined, discard, discard],
});
await warm.init.exited;
await warm.container.remove();
await sleep(500);
const t0 = performance.now();
const baseline = usage(0, t0);
const samples = [];
let stop = `cap of ${cap}`;
const checks = [];
try {
  outer: while (held.length < cap) {
    for (let i = 0; i < BATCH && held.length < cap; i++) {
      const check = await startOne();
      if (check) checks.push(check);
    }
    await sleep(50); // let the last ones reach their sleep
    if (checks.some((c) => c())) {
      stop = 'a container exited';
      break;
    }
    const u = usage(held.length, t0);
    samples.push(u);
    process.stderr.write(`idle ${mode}: ${u.n}, rss ${(u.rss / 1048576).toFixed(0)} MB\n`);
    if (u.rss >= budget) {
      stop = `RSS reached ${budgetMb} MB`;
      break outer;
    }
    if (performance.now() > deadline) {
      stop = `time limit of ${secondsArg} s`;
      break;
    }
  }
} catch (e) {
  stop = `a start failed: ${e instanceof Error ? e.message : String(e)}`;
}
process.stdout.write(JSON.stringify({ mode, count: held.length, stop, baseline, samples }) + '\n');
// Leave at once: terminating a thousand workers one by one takes longer than the exit.
process.exit(0);
