/* global URL */
// The berth CLI as a whole process against the container engines and OCI runtimes on the
// host, side by side in one run: `berth run --rm toolbox true` (emulated kernel) vs
// `podman run`, `berth run --backend linux` vs `crun run` / `runc run` of a bundle with the
// same root filesystem, and how many idle emulated containers one Node process holds.
// Run by bench/run.mjs (after `npm run build`). Root is needed for podman, crun, runc and
// the Linux backend; a case that cannot run here is reported as n/a.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const RUNS = 9; // timed runs per command, after one warm-up
const IDLE_SECONDS = 200; // time limit of the idle-containers case
const IDLE_BUDGET_MB = 2048;
const IDLE_CAP = 1500;
const repo = fileURLToPath(new URL('..', import.meta.url));
const berthBin = join(repo, 'bin/berth.js');
const idleHelper = join(repo, 'bench/runtime-idle.mjs');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const which = (name) => {
  const r = spawnSync('sh', ['-c', `command -v ${name}`]);
  return r.status === 0 ? r.stdout.toString().trim() : null;
};
const firstLine = (s) =>
  s
    .toString()
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-1)[0] ?? '';
const na = (why) => `n/a (${why.replace(/\|/g, '\\|').slice(0, 160)})`;

/** One run of a command line, start to exit, in ms; throws with its stderr if it fails. */
function timeOnce([bin, ...args], opts = {}) {
  const t0 = performance.now();
  const r = spawnSync(bin, args, { ...opts, maxBuffer: 1 << 24 });
  const ms = performance.now() - t0;
  if (r.status !== 0)
    throw new Error(`${[bin, ...args].join(' ').slice(-80)}: ${firstLine(r.stderr) || `exit ${r.status}`}`);
  return ms;
}

/**
 * Medians of RUNS runs of each command, after one warm-up run of each; the commands take
 * turns so drift on this noisy machine hits all alike. Each entry is { cmd, opts }; a
 * command that fails gives "n/a (why)" in its place.
 */
function series(entries, runs = RUNS) {
  const times = entries.map(() => []);
  const failed = entries.map(() => null);
  entries.forEach((e, i) => {
    try {
      timeOnce(e.cmd, e.opts);
    } catch (err) {
      failed[i] = err.message;
    }
  });
  for (let r = 0; r < runs; r++)
    entries.forEach((e, i) => {
      if (failed[i]) return;
      try {
        times[i].push(timeOnce(e.cmd, e.opts));
      } catch (err) {
        failed[i] = err.message;
      }
    });
  return entries.map((_, i) => (failed[i] ? na(failed[i]) : median(times[i])));
}

/**
 * The cgroup2 mount of a hybrid host whose cgroup2 still holds controllers (crun refuses
 * such hosts, ../shared/notes/linux-host.md), or null. crun is then run in a private
 * mount namespace with that mount taken away, as src/linux/oci-runtime.ts does.
 */
function hybridCgroup2() {
  const mounts = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' '));
  const v2 = mounts.find((m) => m[2] === 'cgroup2')?.[1];
  const hasV1 = mounts.some((m) => m[2] === 'cgroup');
  if (!v2 || !hasV1) return null;
  const controllers = join(v2, 'cgroup.controllers');
  return existsSync(controllers) && readFileSync(controllers, 'utf8').trim() !== '' ? v2 : null;
}

/** `cmd` run in a private mount namespace without the hybrid cgroup2 mount (if any). */
function crunWrap(cmd, unified) {
  if (!unified) return cmd;
  return [
    'unshare',
    '--mount',
    '--propagation',
    'private',
    'sh',
    '-c',
    `umount ${unified} && exec "$0" "$@"`,
    ...cmd,
  ];
}

/** Unmount whatever podman or a runtime left mounted under `dir`, deepest first. */
function unmountUnder(dir) {
  const targets = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1])
    .filter((t) => t && (t === dir || t.startsWith(dir + '/')))
    .sort((a, b) => b.length - a.length);
  for (const t of targets) spawnSync('umount', ['-l', t]);
}

/**
 * The toolbox image's linux/amd64 (host) variant as a docker-archive podman can load:
 * `berth save` writes the host platform's manifest of the index; if it does not, skopeo
 * converts the OCI layout in dist/toolbox-image. Returns { tar, arch, how }.
 */
function toolboxArchive(root, dir) {
  const tar = join(dir, 'toolbox.tar');
  const saved = spawnSync('node', [berthBin, '--root', root, 'save', '-o', tar, 'berth/toolbox:latest']);
  if (saved.status === 0) {
    const unpacked = join(dir, 'toolbox-archive');
    mkdirSync(unpacked);
    spawnSync('tar', ['-xf', tar, '-C', unpacked]);
    const manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8'))[0];
    const config = JSON.parse(readFileSync(join(unpacked, manifest.Config), 'utf8'));
    if (config.os === 'linux')
      return { tar, unpacked, manifest, arch: config.architecture, how: 'berth save' };
    rmSync(unpacked, { recursive: true, force: true });
    rmSync(tar, { force: true });
  }
  if (!which('skopeo')) throw new Error('berth save gave no linux image and skopeo is not installed');
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const r = spawnSync('skopeo', [
    'copy',
    '--override-os',
    'linux',
    '--override-arch',
    arch,
    `oci:${join(repo, 'dist/toolbox-image')}`,
    `docker-archive:${tar}:berth/toolbox:latest`,
  ]);
  if (r.status !== 0) throw new Error(`skopeo copy: ${firstLine(r.stderr)}`);
  const unpacked = join(dir, 'toolbox-archive');
  mkdirSync(unpacked, { recursive: true });
  spawnSync('tar', ['-xf', tar, '-C', unpacked]);
  const manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8'))[0];
  return { tar, unpacked, manifest, arch, how: 'skopeo copy from dist/toolbox-image' };
}

/** An OCI bundle for `rt` (crun or runc): the image's layers unpacked, `rt spec` adjusted. */
function bundle(rt, dir, image) {
  const b = join(dir, `bundle-${rt}`);
  mkdirSync(join(b, 'rootfs'), { recursive: true });
  for (const layer of image.manifest.Layers) {
    const r = spawnSync('tar', ['-xf', join(image.unpacked, layer), '-C', join(b, 'rootfs')]);
    if (r.status !== 0) throw new Error(`unpacking ${layer}: ${firstLine(r.stderr)}`);
  }
  const r = spawnSync(rt, ['spec'], { cwd: b });
  if (r.status !== 0) throw new Error(`${rt} spec: ${firstLine(r.stderr)}`);
  const spec = JSON.parse(readFileSync(join(b, 'config.json'), 'utf8'));
  spec.process.terminal = false;
  spec.process.args = ['/bin/true'];
  spec.root.readonly = false;
  spec.linux.cgroupsPath = `/berth-bench-runtime-${process.pid}-${rt}`;
  if (!spec.linux.namespaces.some((n) => n.type === 'network'))
    spec.linux.namespaces.push({ type: 'network' });
  writeFileSync(join(b, 'config.json'), JSON.stringify(spec));
  return b;
}

/** Case 3: the helper process starts idle containers (or bare workers) until a limit. */
function idle(root, mode, budgetMb, cap, seconds) {
  const r = spawnSync(
    'node',
    [
      '--expose-gc',
      '--max-old-space-size=2048',
      idleHelper,
      root,
      mode,
      String(budgetMb),
      String(cap),
      String(seconds),
    ],
    { maxBuffer: 1 << 24, timeout: (seconds + 60) * 1000 },
  );
  const line = r.stdout.toString().trim().split('\n').pop();
  if (!line?.startsWith('{')) throw new Error(`idle ${mode}: ${firstLine(r.stderr) || `exit ${r.status}`}`);
  return JSON.parse(line);
}

const MB = 1048576;
/** RSS growth per container (or worker) from the baseline to the last sample, in MB. */
const perOne = (res) => {
  const last = res.samples.at(-1);
  return last ? (last.rss - res.baseline.rss) / last.n / MB : undefined;
};

export async function run() {
  const title = 'Runtime: the berth CLI vs podman, crun and runc; idle containers per process';
  const rows = [];
  const notes = [];
  const isRoot = process.getuid?.() === 0;
  const work = mkdtempSync('/tmp/berth-bench-runtime-');
  const root = join(work, 'berth-root');
  const unified = isRoot ? hybridCgroup2() : null;
  const berth = (...args) => ({ cmd: ['node', berthBin, '--root', root, ...args] });
  try {
    // The first run loads berth/toolbox:latest into the fresh root.
    timeOnce(berth('run', '--rm', 'toolbox', 'true').cmd);

    // Berth's own start-up: --version loads the whole CLI (main.js imports every verb).
    const [version, images, nodeOnly] = series([
      berth('--version'),
      berth('images'),
      { cmd: ['node', '-e', '0'] },
    ]);
    rows.push({
      metric: '`berth --version` (Node start + loading the CLI)',
      berth: version,
      peer: nodeOnly,
      peerName: '`node -e 0`',
      unit: 'ms',
      goal: 'report',
    });
    rows.push({
      metric: '`berth images` (start-up + opening the store)',
      berth: images,
      unit: 'ms',
      goal: 'report',
    });

    // 1. Emulated backend vs podman on the same image (its linux/amd64 variant).
    const podman = which('podman');
    let image = null;
    try {
      image = isRoot && (podman || which('crun') || which('runc')) ? toolboxArchive(root, work) : null;
    } catch (e) {
      notes.push(`The image for podman/crun/runc could not be made: ${e.message}.`);
    }
    if (!isRoot || !podman || !image) {
      const why = !isRoot ? 'podman needs root here' : !podman ? 'podman not installed' : 'no linux image';
      rows.push({
        metric: '`berth run --rm toolbox true` (emulated) vs `podman run --rm`',
        berth: na(why),
        unit: 'ms',
        goal: 'emulated CLI ≥ 3× faster than podman',
      });
    } else {
      const p = join(work, 'podman');
      const pg = [
        podman,
        '--root',
        join(p, 'root'),
        '--runroot',
        join(p, 'run'),
        '--tmpdir',
        join(p, 'tmp'),
        '--events-backend',
        'none',
        '--storage-driver',
        'overlay',
      ];
      // root here lacks CAP_SYS_RESOURCE: podman's default rlimits (nofile 1048576, nproc
      // above the host's) make both runtimes fail, so ask for modest ones.
      const podRun = [
        'run',
        '--rm',
        '--network=none',
        '--pull=never',
        '--ulimit',
        'nofile=1024:1024',
        '--ulimit',
        'nproc=1024:1024',
        'berth/toolbox:latest',
        'true',
      ];
      try {
        const loaded = spawnSync(pg[0], [...pg.slice(1), 'load', '-i', image.tar]);
        if (loaded.status !== 0) throw new Error(`podman load: ${firstLine(loaded.stderr)}`);
        const [emu, podCrun, podRunc] = series([
          berth('run', '--rm', 'toolbox', 'true'),
          { cmd: crunWrap([...pg, ...podRun], unified) },
          { cmd: [...pg, '--runtime', 'runc', ...podRun] },
        ]);
        const crunName = `podman run --rm --network=none (crun${unified ? ', private mount ns without the hybrid cgroup2' : ''})`;
        const podPeer = typeof podCrun === 'number' ? podCrun : typeof podRunc === 'number' ? podRunc : null;
        rows.push({
          metric: '`berth run --rm toolbox true`, emulated, whole CLI process',
          berth: podPeer === null ? na(`podman failed: ${podCrun}`) : emu,
          peer: podPeer ?? undefined,
          peerName: typeof podCrun === 'number' ? crunName : 'podman run --rm --network=none (runc)',
          unit: 'ms',
          goal: 'emulated CLI ≥ 3× faster than podman (ratio ≤ 0.33×)',
        });
        if (typeof podCrun === 'number' && typeof podRunc === 'number')
          rows.push({
            metric: '`berth run --rm toolbox true`, emulated (podman on runc)',
            berth: emu,
            peer: podRunc,
            peerName: 'podman --runtime runc run --rm --network=none',
            unit: 'ms',
            goal: 'report',
          });
      } finally {
        spawnSync(pg[0], [...pg.slice(1), 'rmi', '-a', '-f']);
        unmountUnder(p);
      }
    }

    // 2. Linux backend vs crun/runc of a bundle with the same root filesystem.
    const crun = which('crun');
    const runc = which('runc');
    if (!isRoot || (!crun && !runc) || !image) {
      const why = !isRoot ? 'needs root' : !image ? 'no linux image' : 'neither crun nor runc installed';
      rows.push({
        metric: '`berth run --rm --backend linux toolbox true` vs crun + berth start-up',
        berth: na(why),
        unit: 'ms',
        goal: 'within 1.5× of crun + berth’s own start-up',
      });
    } else {
      const state = join(work, 'state');
      let n = 0;
      const rtCmd = (name, path, b) => {
        // a fresh container id per run: each command line is built when it runs
        const cmd = [path, '--root', state, 'run', ''];
        return {
          get cmd() {
            cmd[4] = `bench-${process.pid}-${name}-${n++}`;
            return name === 'crun' ? crunWrap(cmd, unified) : cmd;
          },
          opts: { cwd: b },
        };
      };
      const entries = [
        berth('run', '--rm', '--backend', 'linux', 'toolbox', 'true'),
        {
          cmd: berth('run', '--rm', '--backend', 'linux', 'toolbox', 'true').cmd,
          opts: { env: { ...process.env, BERTH_OCI_RUNTIME: 'crun' } },
        },
        { cmd: ['node', berthBin, '--version'] },
      ];
      if (crun) entries.push(rtCmd('crun', crun, bundle('crun', work, image)));
      if (runc) entries.push(rtCmd('runc', runc, bundle('runc', work, image)));
      const [linuxDefault, linuxCrun, version2, crunMs, runcMs] = series(entries);
      const crunT = crun ? crunMs : undefined;
      const runcT = crun ? runcMs : crunMs;
      const startup = typeof version2 === 'number' ? version2 : version;
      const crunName = `crun run${unified ? ' (private mount ns without the hybrid cgroup2)' : ''}`;
      if (typeof crunT === 'number' && typeof startup === 'number') {
        rows.push({
          metric: '`berth run --rm --backend linux toolbox true` (berth on crun) vs crun + berth’s start-up',
          berth: linuxCrun,
          peer: crunT + startup,
          peerName: `${crunName} ${crunT.toFixed(1)} ms + \`berth --version\` ${startup.toFixed(1)} ms`,
          unit: 'ms',
          goal: 'within 1.5× of crun + berth’s own start-up (ratio ≤ 1.5×)',
        });
        rows.push({
          metric:
            '`berth run --rm --backend linux toolbox true` (runtime berth picks here) vs crun + start-up',
          berth: linuxDefault,
          peer: crunT + startup,
          peerName: `${crunName} + \`berth --version\``,
          unit: 'ms',
          goal: 'within 1.5× of crun + berth’s own start-up (ratio ≤ 1.5×)',
        });
      } else {
        rows.push({
          metric: '`berth run --rm --backend linux toolbox true` vs crun + berth start-up',
          berth: typeof crunT === 'string' ? crunT : na('crun not installed'),
          unit: 'ms',
          goal: 'within 1.5× of crun + berth’s own start-up',
        });
      }
      if (crunT !== undefined)
        rows.push({
          metric: `\`${crunName}\` of a bundle of the same rootfs, /bin/true`,
          berth: crunT,
          unit: 'ms',
          goal: 'report',
        });
      if (runcT !== undefined) {
        rows.push({
          metric: '`runc run` of a bundle of the same rootfs, /bin/true',
          berth: runcT,
          unit: 'ms',
          goal: 'report',
        });
        if (typeof runcT === 'number' && typeof startup === 'number')
          rows.push({
            metric: '`berth run --rm --backend linux toolbox true` (berth’s pick) vs runc + start-up',
            berth: linuxDefault,
            peer: runcT + startup,
            peerName: 'runc run + `berth --version`',
            unit: 'ms',
            goal: 'report',
          });
      }
      notes.push(
        `The Linux backend picks ${unified ? 'runc on this hybrid-cgroup host (crun refuses it)' : 'crun if it works, else runc'}; "berth on crun" sets BERTH_OCI_RUNTIME=crun${unified ? ', which berth runs in a private mount namespace without the cgroup2 mount, as the crun peer is' : ''}. The bundles are \`crun spec\`/\`runc spec\` with terminal and read-only root off, an absolute cgroupsPath and a network namespace, over the image's layer unpacked into a plain directory (berth mounts an overlay and brings lo up with a hook, which the peers do not).`,
      );
      spawnSync('sh', ['-c', `rmdir /sys/fs/cgroup/*/berth-bench-runtime-${process.pid}-* 2>/dev/null`]);
    }

    // 3. Idle emulated containers one Node process holds in 2 GB.
    const containers = idle(root, 'containers', IDLE_BUDGET_MB, IDLE_CAP, IDLE_SECONDS);
    const workers = idle(root, 'workers', 2048, 100, 40);
    const per = perOne(containers);
    const perWorker = perOne(workers);
    const last = containers.samples.at(-1);
    let guestMemory = '';
    try {
      const { inspectModule } = await import('../dist/kernel/wasm-binary/module-info.js');
      const pages = inspectModule(readFileSync(join(repo, 'wasm/build/toolbox.wasm'))).memory?.[0]?.min;
      if (pages)
        guestMemory = ` (the toolbox declares ${pages} pages, ${((pages * 65536) / MB).toFixed(1)} MiB)`;
    } catch {
      // the figure is only for the note
    }
    rows.push({
      metric: `idle emulated containers (PID 1 \`sleep\`) one Node process holds in ${IDLE_BUDGET_MB / 1024} GB RSS`,
      berth: `${containers.count} (stopped: ${containers.stop})`,
      unit: 'containers',
      goal: '≥ 1,000',
    });
    rows.push({
      metric: 'RSS per idle emulated container',
      berth: per,
      peer: perWorker,
      peerName: 'a bare idle worker_threads Worker',
      unit: 'MB',
      goal: 'report',
    });
    notes.push(
      `Idle containers: bench/runtime-idle.mjs in its own Node process (--max-old-space-size=2048) starts containers from the toolbox image's wasip1 layers (the EmulatedRuntime, as the Engine runs them) with PID 1 \`sleep 100000\`, 25 at a time, reading process.memoryUsage().rss after each batch (after gc), until ${IDLE_BUDGET_MB} MB, ${IDLE_CAP} containers, ${IDLE_SECONDS} s or a failed start. RSS ${(containers.baseline.rss / MB).toFixed(0)} MB with 0 containers, ${last ? `${(last.rss / MB).toFixed(0)} MB with ${last.n}` : 'no sample'} (main-thread heap ${(containers.baseline.heap / MB).toFixed(1)} → ${last ? (last.heap / MB).toFixed(1) : '?'} MB). A running process holds a worker thread (a V8 isolate and a Node environment; a bare idle Worker costs ${perWorker?.toFixed(2)} MB of RSS, 100 of them, same measure), but berth's sh and toolbox are asyncify'd: a syscall parked for 200 ms unwinds the guest into its own memory and gives the worker back (src/kernel/proc/suspend.ts), so an idle container costs its kernel state and the pages its guest touched${guestMemory}; after each batch the helper waits (up to 3 s) until the suspended containers' workers have ended.`,
    );
  } finally {
    unmountUnder(work);
    rmSync(work, { recursive: true, force: true });
  }
  return {
    title,
    note: [
      `Whole processes timed start to exit (spawnSync), medians of ${RUNS} runs after a warm-up; the commands of a comparison take turns. berth: \`node bin/berth.js --root <fresh root> …\`, the root loaded with berth/toolbox:latest by a first run. podman (private --root/--runroot/--tmpdir, --events-backend none, overlay) runs the same image's linux/amd64 variant from \`berth save\` (docker-archive), with --network=none --pull=never and --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 (root here lacks CAP_SYS_RESOURCE, so podman's default rlimits make crun and runc fail).`,
      ...notes,
    ].join(' '),
    rows,
  };
}
