/* global URL, TextDecoder */
// berth's userland (wasm/build/sh.wasm + toolbox.wasm on the emulated kernel, and the
// native build in wasm/build/linux-amd64) against Debian's busybox run natively, on the
// same shell command lines. Run by bench/run.mjs (after `npm run build`). A case whose
// output differs from busybox's (an applet not written yet) is reported as n/a.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import '../dist/node/platform.js';
import { Kernel } from '../dist/kernel/proc/kernel.js';
import { platform } from '../dist/platform.js';
import { MemFs } from '../dist/vfs/memfs.js';

const RUNS = 5;
const BUSYBOX = '/bin/busybox';
const wasmDir = fileURLToPath(new URL('../wasm/build/', import.meta.url));
const nativeDir = join(wasmDir, 'linux-amd64');
const appletNames = () =>
  [
    ...readFileSync(new URL('../wasm/toolbox/applets.def', import.meta.url), 'utf8').matchAll(
      /^(?:APPLET|ALIAS)\("([^"]+)"/gm,
    ),
  ].map((m) => m[1]);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** 200 files of 4 KiB each, different contents, as name → text. */
function files() {
  const out = {};
  for (let i = 0; i < 200; i++) out[`d${i % 10}/f${i}.txt`] = `file ${i}\n`.repeat(4096 / 8).slice(0, 4096);
  return out;
}

// `per`: how many times the script does the thing timed (the figure is per time).
const CASES = [
  { metric: "`sh -c 'seq 1 100000 | grep 7 | wc -l'`", script: 'seq 1 100000 | grep 7 | wc -l', runs: RUNS },
  {
    // sorted: find lists in the filesystem's order (ext4's differs from berth's MemFs), and
    // the digest is compared with busybox's
    metric: '`find . -type f | sort | xargs cat | sha256sum` over 200 files of 4 KiB',
    script: 'find . -type f | sort | xargs cat | sha256sum',
    runs: RUNS,
  },
  { metric: 'start-to-exit of `sh -c true`, from the host', script: 'true', runs: 31 },
  {
    metric: 'start-to-exit of `sh -c true`, 100 run by a shell loop, per run',
    script: 'i=0; while [ $i -lt 100 ]; do sh -c true; i=$((i+1)); done',
    runs: RUNS,
    per: 100,
  },
];

/** A directory of links named after every applet (and sh) on the host. */
function links(dir, toolbox, sh) {
  mkdirSync(dir);
  for (const name of appletNames()) symlinkSync(toolbox, join(dir, name));
  symlinkSync(sh, join(dir, 'sh'));
  return dir;
}

/** Time one run natively: { ms, stdout, ok, why }. */
function native(sh, bin, script, cwd) {
  const t0 = performance.now();
  const r = spawnSync(sh[0], [...sh.slice(1), '-c', script], {
    cwd,
    env: { PATH: bin, LC_ALL: 'C' },
    maxBuffer: 1 << 26,
  });
  const ms = performance.now() - t0;
  return { ms, stdout: r.stdout.toString(), ok: r.status === 0, why: r.stderr.toString().split('\n')[0] };
}

/** Time one run on the kernel, from spawn to exit. */
async function onKernel(kernel, sh, root, script, cwd) {
  let stdout = '';
  let stderr = '';
  const dec = new TextDecoder();
  const t0 = performance.now();
  const p = await kernel.spawn({
    program: sh,
    argv: ['sh', '-c', script],
    env: { PATH: '/bin', LC_ALL: 'C' },
    cwd,
    root,
    fds: [
      undefined,
      { type: 'stdio', write: (b) => void (stdout += dec.decode(b.slice())) },
      { type: 'stdio', write: (b) => void (stderr += dec.decode(b.slice())) },
    ],
  });
  const s = await p.exited;
  return {
    ms: performance.now() - t0,
    stdout,
    ok: s.code === 0 && s.signal === undefined,
    why: stderr.split('\n')[0],
  };
}

/** Median ms of `runs` runs after a warm-up, or "n/a (…)" when the output is not busybox's. */
async function measure(runOnce, runs, want, per = 1) {
  const first = await runOnce();
  if (!first.ok || first.stdout !== want) {
    const why = first.ok ? 'output differs from busybox' : first.why || 'failed';
    process.stderr.write(`bench: n/a: ${why}\n`);
    return `n/a (${why.replace(/\|/g, '\\|')})`;
  }
  const times = [];
  for (let i = 0; i < runs; i++) times.push((await runOnce()).ms);
  return median(times) / per;
}

export async function run() {
  const rows = [];
  const title = 'Userland: berth sh + toolbox vs busybox';
  if (!existsSync(BUSYBOX)) return { title, note: 'skipped: no /bin/busybox (busybox-static)', rows };
  const work = mkdtempSync('/dev/shm/berth-bench-userland-');
  const data = join(work, 'data');
  const root = new MemFs();
  for (const d of ['/bin', '/tmp', '/data']) root.mkdir(d);
  root.writeFile('/bin/sh', readFileSync(join(wasmDir, 'sh.wasm')), { mode: 0o755 });
  root.writeFile('/bin/toolbox', readFileSync(join(wasmDir, 'toolbox.wasm')), { mode: 0o755 });
  for (const name of appletNames()) root.symlink('toolbox', `/bin/${name}`);
  for (let d = 0; d < 10; d++) {
    mkdirSync(join(data, `d${d}`), { recursive: true });
    root.mkdir(`/data/d${d}`);
  }
  for (const [rel, text] of Object.entries(files())) {
    writeFileSync(join(data, rel), text);
    root.writeFile(`/data/${rel}`, text);
  }
  const bbBin = links(join(work, 'busybox-bin'), BUSYBOX, BUSYBOX);
  const haveNative =
    process.platform === 'linux' && process.arch === 'x64' && existsSync(join(nativeDir, 'sh'));
  const natBin = haveNative
    ? links(join(work, 'native-bin'), join(nativeDir, 'toolbox'), join(nativeDir, 'sh'))
    : '';
  const kernel = new Kernel({ workers: platform().workers(), pool: 2 });
  const shWasm = readFileSync(join(wasmDir, 'sh.wasm'));
  try {
    for (const c of CASES) {
      const bb = [];
      const ref = native([BUSYBOX, 'sh'], bbBin, c.script, data);
      if (!ref.ok) throw new Error(`busybox sh -c '${c.script}' failed: ${ref.why}`);
      for (let i = 0; i < c.runs; i++) bb.push(native([BUSYBOX, 'sh'], bbBin, c.script, data).ms);
      const peer = median(bb) / (c.per ?? 1);
      // a | in a table cell ends it
      const metric = c.metric.replace(/\|/g, '\\|');
      const kernelMs = await measure(
        () => onKernel(kernel, shWasm, root, c.script, '/data'),
        c.runs,
        ref.stdout,
        c.per,
      );
      rows.push({
        metric: `${metric}: on the kernel`,
        berth: kernelMs,
        peer,
        peerName: 'busybox sh',
        unit: 'ms',
        goal: 'report',
      });
      const nativeMs = haveNative
        ? await measure(() => native([join(natBin, 'sh')], natBin, c.script, data), c.runs, ref.stdout, c.per)
        : 'n/a (needs Linux on amd64)';
      rows.push({
        metric: `${metric}: native build`,
        berth: nativeMs,
        peer,
        peerName: 'busybox sh',
        unit: 'ms',
        goal: 'report',
      });
    }
  } finally {
    kernel.shutdown();
    rmSync(work, { recursive: true, force: true });
  }
  return {
    title,
    note: 'busybox: Debian busybox-static, native, PATH a directory of links to it. "on the kernel": wasm/build/sh.wasm and toolbox.wasm in the emulated kernel (files in MemFs), timed from spawn to exit, warm. "native build": wasm/build/linux-amd64 (gcc -static -O2). Medians of 5 runs (31 for `sh -c true` from the host, where native runs include Node\'s process spawn: the shell loop shows the start-to-exit without it).',
    rows,
  };
}
