/* global setTimeout */
// Helper for runtime.bench.mjs, run as its own Node process (with --max-old-space-size=2048
// and --expose-gc): how many idle emulated containers (PID 1 `sleep 100000` from berth's
// toolbox image) one Node process holds before its RSS reaches a budget. Prints one JSON
// line: { mode, count, stop, baseline, samples: [{ n, rss, heap, external, ms }] }.
// argv: <berth root holding berth/toolbox:latest> <mode: containers|workers> <budget MB> <cap> <seconds>
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import '../dist/node/platform.js';
import { Kernel } from '../dist/kernel/proc/kernel.js';
import { openImageStore } from '../dist/node/image-store.js';
import { platform } from '../dist/platform.js';
import { EmulatedRuntime } from '../dist/runtime/emulated-runtime.js';
import { TOOLBOX_IMAGE, WASI_PLATFORM } from '../dist/toolbox/image.js';

const [root, mode = 'containers', budgetMb = '2048', capArg = '1500', secondsArg = '150'] =
  process.argv.slice(2);
const budget = Number(budgetMb) * 1048576;
const cap = Number(capArg);
const deadline = performance.now() + Number(secondsArg) * 1000;
const BATCH = 25;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function usage(n, t0) {
  globalThis.gc?.();
  const m = process.memoryUsage();
  return { n, rss: m.rss, heap: m.heapUsed, external: m.external, ms: performance.now() - t0 };
}

const store = await openImageStore(root);
const image = await store.resolve(TOOLBOX_IMAGE, WASI_PLATFORM);
const kernel = new Kernel({ workers: platform().workers(), pool: 2 });
// the runtime the Engine uses for emulated containers, without records or a CLI
const runtime = new EmulatedRuntime({ kernel });
const quiet = { stdin: null, stdout: () => {}, stderr: () => {} };
let made = 0;

/** A container (namespaces, cgroup, overlay root over the image) running `args` as PID 1. */
async function container(args) {
  const id = `idle${String(++made).padStart(8, '0')}`;
  const spec = {
    process: {
      args,
      env: [`PATH=${image.config.config?.Env?.find((e) => e.startsWith('PATH='))?.slice(5) ?? '/bin'}`],
      cwd: '/',
      user: '',
    },
    hostname: id.slice(0, 12),
    readOnlyRoot: false,
    mounts: [],
    resources: {},
  };
  await runtime.create(id, spec, { content: store.content, image });
  await runtime.start(id, quiet);
  return id;
}
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
  const id = await container(['sleep', '100000']);
  let exited = false;
  runtime.wait(id).then(() => void (exited = true));
  held.push(id);
  return () => exited;
}

// warm: one container run to exit, so the compiled module is cached and the pool is full
const warm = await container(['true']);
await runtime.wait(warm);
await runtime.delete(warm);
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
    // let the last ones reach their sleep, and suspended ones give their workers back
    for (let t = 0; t < 60 && (mode === 'workers' ? t < 1 : kernel.workerCount > 4); t++) await sleep(50);
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
