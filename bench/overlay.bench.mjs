// OverlayFs: stat through a 10-layer image against the same tree flat (MemFs), and the
// heap cost of a mount. Run by bench/run.mjs (after `npm run build`).
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Inode } from '../dist/vfs/inode.js';
import { MemFs } from '../dist/vfs/memfs.js';
import { OverlayFs } from '../dist/vfs/overlay.js';

const LAYERS = 10;
const DEPTH = 8;
const PATHS = 2000;
const STATS = 100_000;
const RUNS = 7;
const MOUNTS = 1000;

/** A deterministic PRNG, so both sides see the same tree. */
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function dir(parent, name) {
  let d = parent.entries.get(name);
  if (!d || d.kind !== 'dir') {
    d = new Inode('dir', 0o755);
    parent.entries.set(name, d);
  }
  return d;
}

/**
 * Ten layers over one directory skeleton: every deep path's directories appear in several
 * layers (so lookups merge), and each file lives in one random layer.
 */
function image() {
  const rand = rng(42);
  const layers = Array.from({ length: LAYERS }, () => new Inode('dir', 0o755));
  const paths = [];
  for (let p = 0; p < PATHS; p++) {
    const parts = [];
    for (let d = 0; d < DEPTH; d++) parts.push(`d${d}-${Math.floor(rand() * (d < 2 ? 4 : 8))}`);
    const file = `f${p}`;
    for (const l of layers) {
      if (rand() < 0.5) continue;
      let cur = l;
      for (const part of parts) cur = dir(cur, part);
    }
    let cur = layers[Math.floor(rand() * LAYERS)];
    for (const part of parts) cur = dir(cur, part);
    const f = new Inode('file', 0o644);
    f.data = new Uint8Array(16);
    f.size = 16;
    cur.entries.set(file, f);
    paths.push(`/${parts.join('/')}/${file}`);
  }
  return { layers, paths };
}

/** The merged tree copied into one MemFs. */
function flatten(ovl) {
  const flat = new MemFs();
  const copy = (p) => {
    for (const d of ovl.readdir(p || '/')) {
      const c = `${p}/${d.name}`;
      if (d.kind === 'dir') {
        flat.mkdir(c);
        copy(c);
      } else flat.writeFile(c, ovl.readFile(c));
    }
  };
  copy('');
  return flat;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeStats(fs, paths) {
  const t0 = performance.now();
  for (let i = 0; i < STATS; i++) fs.stat(paths[i % paths.length]);
  return performance.now() - t0;
}

function gc() {
  v8.setFlagsFromString('--expose-gc');
  const collect = vm.runInNewContext('gc');
  for (let i = 0; i < 4; i++) collect();
}

function heapUsed() {
  gc();
  return v8.getHeapStatistics().used_heap_size;
}

export async function run() {
  const { layers, paths } = image();
  const ovl = new OverlayFs(layers);
  const flat = flatten(ovl);
  // Warm up both (JIT, and the overlay's lookup cache) before timing.
  timeStats(ovl, paths);
  timeStats(flat, paths);
  const o = [];
  const f = [];
  for (let r = 0; r < RUNS; r++) {
    o.push(timeStats(ovl, paths));
    f.push(timeStats(flat, paths));
  }

  const perMount = [];
  for (let r = 0; r < 5; r++) {
    const before = heapUsed();
    const mounts = [];
    for (let i = 0; i < MOUNTS; i++) mounts.push(new OverlayFs(layers));
    const after = heapUsed();
    perMount.push((after - before) / MOUNTS / 1024);
    if (mounts.length !== MOUNTS) throw new Error('unreachable');
  }

  return {
    title: 'OverlayFs (src/vfs)',
    note:
      `${STATS.toLocaleString('en')} stat calls on ${PATHS} paths ${DEPTH + 1} levels deep through ${LAYERS} layers, ` +
      `against the same tree in one MemFs; heap of ${MOUNTS} mounts of that image (median of ${RUNS} and 5 runs).`,
    rows: [
      {
        metric: `100k stat, ${LAYERS}-layer overlay vs flat`,
        berth: median(o),
        peer: median(f),
        peerName: 'flat MemFs',
        unit: 'ms',
        goal: '≤ 1.3×',
      },
      {
        metric: `heap per mount (${LAYERS} layers, before any write)`,
        berth: median(perMount),
        unit: 'KB',
        goal: '< 10 KB',
      },
    ],
  };
}
