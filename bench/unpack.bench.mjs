// Layer unpacking: berth's unpackLayer (gunzip + sha256 diff_id + tar parse + inode tree)
// against GNU `tar -xzf` into tmpfs, on a ≥ 40 MB .tar.gz of ~3,500 files.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { URL } from 'node:url';

const dist = new URL('../dist/', import.meta.url);
const RUNS = 5;
const LAYER = join(tmpdir(), 'berth-bench-unpack-v1.tar.gz');

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Deterministic pseudo-random bytes (xorshift), so the layer is the same everywhere. */
function prng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

const WORDS =
  'the quick brown fox jumps over lazy dog layer image container root usr lib bin etc share'.split(' ');

function content(rand, size, kind) {
  const b = Buffer.alloc(size);
  if (kind === 0) {
    // incompressible (already-compressed assets, binaries' data)
    for (let i = 0; i + 4 <= size; i += 4) b.writeUInt32LE(rand(), i);
  } else if (kind === 1) {
    // text
    let off = 0;
    while (off < size) off += b.write(WORDS[rand() % WORDS.length] + (rand() % 11 === 0 ? '\n' : ' '), off);
  } else {
    // binary-ish: runs and small numbers, compresses moderately
    for (let i = 0; i < size; i++) b[i] = rand() % 5 === 0 ? rand() & 0xff : (i >> 6) & 0xff;
  }
  return b;
}

function buildLayer() {
  if (existsSync(LAYER) && statSync(LAYER).size > 0) return;
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-src-'));
  const rand = prng(42);
  let total = 0;
  let files = 0;
  for (let d = 0; d < 120; d++) {
    const sub = join(dir, `usr/lib/pkg${d}/${d % 7 ? 'share' : 'bin'}`);
    mkdirSync(sub, { recursive: true });
    for (let f = 0; f < 29; f++) {
      const big = rand() % 100 === 0;
      const size = big ? 600_000 + (rand() % 1_500_000) : 200 + (rand() % 20_000);
      writeFileSync(join(sub, `file${f}.${['so', 'txt', 'dat'][files % 3]}`), content(rand, size, files % 3));
      total += size;
      files++;
    }
  }
  const tarPath = LAYER + '.tmp';
  const r = spawnSync('sh', [
    '-c',
    `tar --sort=name --owner=0 --group=0 --mtime=@1700000000 -czf '${tarPath}' -C '${dir}' . && mv '${tarPath}' '${LAYER}'`,
  ]);
  rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`building the bench layer failed: ${r.stderr}`);
  process.stderr.write(
    `bench: built ${LAYER} (${files} files, ${(total / 1e6).toFixed(1)} MB uncompressed)\n`,
  );
}

async function installNodePlatform() {
  const { installPlatform, platform } = await import(new URL('platform.js', dist).href);
  const { nodeCodecs } = await import(new URL('node/codecs.js', dist).href);
  try {
    await import(new URL('node/platform.js', dist).href);
  } catch {
    // not built yet: fall through to our own
  }
  let installed;
  try {
    installed = platform();
  } catch {
    installed = undefined;
  }
  if (!installed || installed.codecs !== nodeCodecs) {
    const sha256 = () => {
      const h = createHash('sha256');
      return { update: (c) => void h.update(c), digest: () => `sha256:${h.digest('hex')}` };
    };
    installPlatform({ sha256: installed?.sha256 ?? sha256, codecs: nodeCodecs });
  }
}

export async function run() {
  buildLayer();
  await installNodePlatform();
  const { unpackLayer } = await import(new URL('layers/index.js', dist).href);

  const berth = [];
  let layer;
  for (let i = 0; i < RUNS + 1; i++) {
    const t0 = performance.now();
    layer = await unpackLayer(createReadStream(LAYER, { highWaterMark: 1 << 20 }));
    const ms = performance.now() - t0;
    if (i > 0) berth.push(ms); // the first run warms up the JIT
  }

  const peer = [];
  const shm = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  for (let i = 0; i < RUNS; i++) {
    const out = join(shm, `berth-bench-${randomBytes(4).toString('hex')}`);
    mkdirSync(out);
    const t0 = performance.now();
    const r = spawnSync('tar', ['-xzf', LAYER, '-C', out]);
    const ms = performance.now() - t0;
    rmSync(out, { recursive: true, force: true });
    if (r.status !== 0) throw new Error(`tar -xzf failed: ${r.stderr}`);
    peer.push(ms);
  }

  const mb = (statSync(LAYER).size / 1e6).toFixed(1);
  return {
    title: 'Layer unpack',
    note:
      `A ${mb} MB .tar.gz layer (${layer.entries} entries, ${(layer.size / 1e6).toFixed(1)} MB of tar). ` +
      'berth: unpackLayer from a file stream (gunzip, sha256 diff_id, tar parse, in-memory inode tree); ' +
      `peer: GNU tar -xzf into a fresh tmpfs directory. Median of ${RUNS} runs.`,
    rows: [
      {
        metric: `unpack ${mb} MB .tar.gz`,
        berth: median(berth),
        peer: median(peer),
        peerName: 'GNU tar -xzf',
        unit: 'ms',
        goal: '≤ 1.0×',
      },
    ],
  };
}
