/**
 * HostFs: a host directory as a berth FileSystem.
 * - Differential: random operations through HostFs (over a temporary directory) and through
 *   MemFs (itself verified against the kernel's tmpfs, test/vfs/memfs-kernel.test.ts) give
 *   the same results and errno names, and the same trees.
 * - Confinement: symlinks to host paths, '..', symlink chains, a directory swapped for a
 *   symlink (between calls and in the middle of one), hard links, read-only mode; and no
 *   error message ever names the host directory.
 */
import * as nodeFs from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostFs } from '../../src/node/host-fs.js';
import { isFsError } from '../../src/vfs/errno.js';
import {
  O_APPEND,
  O_CREAT,
  O_DIRECTORY,
  O_EXCL,
  O_NOFOLLOW,
  O_RDONLY,
  O_RDWR,
  O_TRUNC,
  O_WRONLY,
} from '../../src/vfs/filesystem.js';
import { MemFs } from '../../src/vfs/memfs.js';
import { describeWith } from '../support/requirements.js';
import { Rng } from '../vfs/kernel/rng.js';
import {
  capture,
  createdBy,
  makeSandbox,
  outsideListing,
  randomOp,
  removeSandbox,
  runOp,
  snapshot,
  type Sandbox,
} from './host-fs-helpers.js';

const isRoot = process.getuid?.() === 0;
const enc = new TextEncoder();
const dec = new TextDecoder();

let sb: Sandbox;
let hfs: HostFs;
/** Strings no error may contain. */
let hostPaths: string[];

beforeEach(() => {
  sb = makeSandbox();
  hfs = new HostFs(sb.box);
  hostPaths = [sb.top, sb.box];
});
afterEach(() => {
  hfs.close();
  removeSandbox(sb);
});

/** `f`'s result or errno name, checking that no error names the host directory. */
const c = (f: () => unknown): string => capture(f, hostPaths);
const text = (b: Uint8Array): string => dec.decode(b);

// MemFs checks no permissions (everything runs as root in berth for now): a non-root run
// would meet the host's EACCES where MemFs succeeds.
describeWith(['root'], 'HostFs against MemFs: random operations', () => {
  const SEEDS = [1, 2, 3, 4, 5, 6];
  const OPS = 500;

  // 'paths': the fallback for systems without /proc/self/fd (host path strings, no pinned fds).
  const CASES = [...SEEDS.map((s) => [s, 'pinned'] as const), [7, 'paths'] as const, [8, 'paths'] as const];

  it.each(CASES)('seed %i (%s): same results, errno names and trees', (seed, how) => {
    if (how === 'paths') (hfs as unknown as { pinned: boolean }).pinned = false;
    const before = outsideListing(sb);
    const openFds = nodeFs.readdirSync('/proc/self/fd').length;
    const rng = new Rng(seed);
    // MemFs acting as the same user as this process (the owner of the host's new files).
    const mem = new MemFs(undefined, {
      cred: { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0, groups: [] },
    });
    // The roots must agree before anything: the host root's mode and owner as MemFs's.
    const rootSt = nodeFs.statSync(sb.box);
    mem.chmod('/', rootSt.mode & 0o7777);
    mem.chown('/', rootSt.uid, rootSt.gid);
    // A starting tree, made through both.
    for (const f of [hfs, mem]) {
      for (const d of ['/a', '/a/b', '/c', '/c/d', '/e']) f.mkdir(d);
      for (const p of ['/a/f', '/a/b/c', '/c/d/e', '/b']) f.writeFile(p, `data of ${p}`);
      f.symlink('a/b', '/d');
    }
    let known = ['/'];
    let dirs = ['/'];
    const log: string[] = [];
    let same = 0;
    const results = new Map<string, number>();
    for (let i = 0; i < OPS; i++) {
      if (i % 5 === 0) {
        const lines = snapshot(mem).map((l) => l.split(' '));
        known = lines.map((l) => l[0]!);
        dirs = lines.filter((l) => l[1] === 'dir').map((l) => l[0]!);
      }
      const op = randomOp(rng, known, dirs, true);
      const h = runOp(op, hfs, hostPaths);
      const m = runOp(op, mem, []);
      log.push(`#${i} ${JSON.stringify(op)} → ${h}`);
      if (h !== m)
        throw new Error(`seed ${seed} op #${i}: HostFs ${h}, MemFs ${m}\n${log.slice(-12).join('\n')}`);
      const failed = /^E[A-Z0-9]+$/.test(h);
      results.set(failed ? h : `${op.t} ok`, (results.get(failed ? h : `${op.t} ok`) ?? 0) + 1);
      if (!failed) {
        same++;
        const p = createdBy(op);
        if (p !== null && !p.includes('..')) known.push(p.replace(/\/+$/, '') || '/');
      }
    }
    expect(snapshot(hfs)).toEqual(snapshot(mem));
    expect(outsideListing(sb)).toEqual(before);
    // Every fd a call pinned was closed.
    expect(nodeFs.readdirSync('/proc/self/fd').length).toBe(openFds);
    // The run did something: a fair share of the operations succeeded (most random ones meet
    // EEXIST, ENOENT, ENOTDIR, EISDIR…, which are compared too), with several errno names.
    expect(same).toBeGreaterThan(OPS / 4);
    expect([...results.keys()].filter((k) => k.startsWith('E')).length).toBeGreaterThanOrEqual(6);
  });
});

describe('HostFs confinement', () => {
  it('an absolute symlink to /etc resolves inside the root', () => {
    hfs.symlink('/etc', '/l');
    expect(c(() => hfs.readdir('/l'))).toBe('ENOENT');
    expect(c(() => hfs.readFile('/l/passwd'))).toBe('ENOENT');
    expect(c(() => hfs.writeFile('/l/pwn', 'x'))).toBe('ENOENT');
    hfs.mkdir('/etc');
    hfs.writeFile('/etc/passwd', 'fake');
    expect(text(hfs.readFile('/l/passwd'))).toBe('fake');
    expect(hfs.realpath('/l/passwd')).toBe('/etc/passwd');
    expect(nodeFs.readFileSync(join(sb.box, 'etc/passwd'), 'utf8')).toBe('fake');
    // A symlink made on the host, with the host's absolute path of something outside.
    nodeFs.symlinkSync(join(sb.top, 'secret'), join(sb.box, 'hostlink'));
    expect(c(() => hfs.readFile('/hostlink'))).toBe('ENOENT');
    expect(c(() => hfs.stat('/hostlink'))).toBe('ENOENT');
    expect(hfs.readlink('/hostlink')).toBe(join(sb.top, 'secret')); // readlink shows the stored text
    expect(c(() => hfs.open('/hostlink', O_WRONLY | O_CREAT))).toBe('ENOENT'); // the target's parents are missing inside
  });

  it('.. stops at the root, in paths and in symlink targets', () => {
    expect(c(() => hfs.readFile('/../../secret'))).toBe('ENOENT');
    expect(c(() => hfs.readFile('../../../secret'))).toBe('ENOENT');
    expect(hfs.realpath('/../../..')).toBe('/');
    hfs.writeFile('../../../pwn', 'in');
    expect(nodeFs.readFileSync(join(sb.box, 'pwn'), 'utf8')).toBe('in');
    hfs.symlink('../../..', '/up');
    expect(hfs.realpath('/up')).toBe('/');
    expect(hfs.readdir('/up').map((d) => d.name)).toEqual(expect.arrayContaining(['pwn', 'up']));
    expect(c(() => hfs.readFile('/up/secret'))).toBe('ENOENT');
    hfs.symlink('../../../secret', '/s');
    expect(c(() => hfs.readFile('/s'))).toBe('ENOENT');
    hfs.writeFile('/s', 'created inside'); // a dangling symlink creates its target: inside
    expect(nodeFs.readFileSync(join(sb.box, 'secret'), 'utf8')).toBe('created inside');
    expect(nodeFs.readFileSync(join(sb.top, 'secret'), 'utf8')).toBe('top secret');
    // Host-made relative symlinks that climb out.
    nodeFs.symlinkSync('../secret', join(sb.box, 'h1'));
    nodeFs.symlinkSync('..', join(sb.box, 'h2'));
    expect(text(hfs.readFile('/h1'))).toBe('created inside');
    expect(hfs.realpath('/h2/h2/h2')).toBe('/');
  });

  it('follows symlink chains inside the root and stops loops with ELOOP', () => {
    nodeFs.mkdirSync(join(sb.box, 'd'));
    hfs.writeFile('/d/f', 'end');
    hfs.symlink('../../../../d', '/c1'); // climbs past the root
    hfs.symlink('/c1', '/c2'); // absolute
    hfs.symlink('c2/f', '/c3');
    expect(text(hfs.readFile('/c3'))).toBe('end');
    expect(hfs.realpath('/c3')).toBe('/d/f');
    // 40 links are followed, the 41st is ELOOP, as Linux.
    for (let i = 1; i <= 41; i++) hfs.symlink(i === 1 ? '/d/f' : `l${i - 1}`, `/l${i}`);
    expect(text(hfs.readFile('/l40'))).toBe('end');
    expect(c(() => hfs.readFile('/l41'))).toBe('ELOOP');
    hfs.symlink('self', '/self');
    expect(c(() => hfs.stat('/self'))).toBe('ELOOP');
    expect(hfs.lstat('/self').mode & 0o170000).toBe(0o120000);
    expect(c(() => hfs.open('/d/f', O_RDONLY | O_NOFOLLOW).close())).toBe('OK');
    expect(c(() => hfs.open('/c3', O_RDONLY | O_NOFOLLOW))).toBe('ELOOP');
  });

  it('a directory replaced by a symlink to the outside between two calls', () => {
    hfs.mkdir('/d');
    hfs.writeFile('/d/f', 'inside');
    const h = hfs.open('/d/f', O_RDONLY);
    // Another host process swaps d for a symlink to the outside (absolute and relative).
    nodeFs.renameSync(join(sb.box, 'd'), join(sb.box, 'old'));
    nodeFs.symlinkSync(sb.top, join(sb.box, 'd'));
    expect(c(() => hfs.readFile('/d/secret'))).toBe('ENOENT');
    expect(c(() => hfs.writeFile('/d/new', 'x'))).toBe('ENOENT');
    expect(c(() => hfs.readdir('/d'))).toBe('ENOENT');
    nodeFs.unlinkSync(join(sb.box, 'd'));
    nodeFs.symlinkSync('../../..', join(sb.box, 'd'));
    expect(c(() => hfs.readFile('/d/secret'))).toBe('ENOENT');
    expect(hfs.realpath('/d')).toBe('/');
    // The open file is the inode, wherever it went.
    expect(text(h.read(0, 100))).toBe('inside');
    h.close();
    expect(outsideListing(sb)).not.toContain('/new');
    expect(nodeFs.existsSync(join(sb.top, 'new'))).toBe(false);
  });

  /**
   * Run `f` while another "host process" swaps the box's `name` for a symlink to `target`
   * (then moving the original to `old`) right after HostFs's first lstat of it: the window
   * between a check and a use. Returns `f`'s result or errno name and how many swaps ran.
   */
  function withSwap(name: string, target: string, f: () => unknown): [string, number] {
    const cjsFs = createRequire(import.meta.url)('node:fs') as { lstatSync: typeof nodeFs.lstatSync };
    const real = cjsFs.lstatSync;
    const where = join(sb.box, name);
    let swapped = 0;
    cjsFs.lstatSync = ((p: string, o?: nodeFs.StatSyncOptions) => {
      const st = real(p, o);
      if (swapped === 0 && st !== undefined && !st.isSymbolicLink() && String(p).endsWith(`/${name}`)) {
        swapped++;
        nodeFs.renameSync(where, join(sb.box, 'old'));
        nodeFs.symlinkSync(target, where);
      }
      return st;
    }) as typeof cjsFs.lstatSync;
    syncBuiltinESMExports();
    try {
      return [c(f), swapped];
    } finally {
      cjsFs.lstatSync = real;
      syncBuiltinESMExports();
    }
  }

  it('a directory swapped for a symlink in the middle of a call is not followed', () => {
    hfs.mkdir('/d');
    hfs.writeFile('/d/secret', 'inside');
    // Retried from scratch: d is now a symlink to an absolute host path, resolved inside.
    expect(withSwap('d', sb.top, () => text(hfs.readFile('/d/secret')))).toEqual(['ENOENT', 1]);
    expect(text(hfs.readFile('/old/secret'))).toBe('inside');
    nodeFs.unlinkSync(join(sb.box, 'd'));
    nodeFs.renameSync(join(sb.box, 'old'), join(sb.box, 'd'));
    // A relative climb: '..' stops at the root, so d/secret is the root's own secret.
    expect(withSwap('d', '../../..', () => hfs.writeFile('/d/secret', 'pwned'))).toEqual(['OK', 1]);
    expect(nodeFs.readFileSync(join(sb.box, 'secret'), 'utf8')).toBe('pwned');
    for (const [p, content] of sb.outside) expect(nodeFs.readFileSync(p, 'utf8')).toBe(content);
  });

  it('a file swapped for a symlink between lookup and use is not followed', () => {
    const secret = join(sb.top, 'secret');
    const before = nodeFs.statSync(secret);
    const swap = (f: () => unknown): [string, number] => {
      hfs.writeFile('/f', 'inside');
      const r = withSwap('f', secret, f);
      nodeFs.unlinkSync(join(sb.box, 'f'));
      nodeFs.rmSync(join(sb.box, 'old'), { force: true });
      return r;
    };
    // Each call saw a file, found a symlink when it used it, and resolved again: the
    // symlink's absolute host path leads nowhere inside the root.
    expect(swap(() => hfs.chmod('/f', 0o777))).toEqual(['ENOENT', 1]);
    expect(swap(() => hfs.truncate('/f', 0))).toEqual(['ENOENT', 1]);
    expect(swap(() => text(hfs.readFile('/f')))).toEqual(['ENOENT', 1]);
    expect(swap(() => hfs.utimes('/f', 0, 0))).toEqual(['ENOENT', 1]);
    expect(swap(() => hfs.open('/f', O_WRONLY | O_TRUNC))).toEqual(['ENOENT', 1]);
    if (isRoot) expect(swap(() => hfs.chown('/f', 1234, 1234))).toEqual(['ENOENT', 1]);
    const st = nodeFs.statSync(secret);
    expect([st.mode, st.uid, st.mtimeMs, st.size]).toEqual([
      before.mode,
      before.uid,
      before.mtimeMs,
      before.size,
    ]);
    expect(nodeFs.readFileSync(secret, 'utf8')).toBe('top secret');
  });

  it('hard links cannot reach a file outside', () => {
    expect(c(() => hfs.link('/../../secret', '/h'))).toBe('ENOENT');
    expect(c(() => hfs.link('../../../a/secret', '/h'))).toBe('ENOENT');
    // Through a host-made symlink to the outside: link(2) links the symlink itself.
    nodeFs.symlinkSync(join(sb.top, 'secret'), join(sb.box, 's'));
    hfs.link('/s', '/h');
    expect(nodeFs.lstatSync(join(sb.box, 'h')).isSymbolicLink()).toBe(true);
    expect(nodeFs.statSync(join(sb.top, 'secret')).nlink).toBe(1);
    expect(c(() => hfs.readFile('/h'))).toBe('ENOENT');
    expect(c(() => hfs.link('/s/', '/h2'))).toBe('ENOENT');
    // The link target path is confined too.
    hfs.writeFile('/f', 'x');
    hfs.link('/f', '/../../../g');
    expect(nodeFs.existsSync(join(sb.box, 'g'))).toBe(true);
    expect(nodeFs.existsSync(join(sb.top, 'g'))).toBe(false);
  });

  it('rename, symlink and mkdir through escaping paths stay inside', () => {
    hfs.writeFile('/f', 'x');
    hfs.rename('/f', '/../../../moved');
    expect(nodeFs.existsSync(join(sb.box, 'moved'))).toBe(true);
    hfs.symlink('/tmp', '/t');
    expect(c(() => hfs.mkdir('/t/x'))).toBe('ENOENT');
    expect(c(() => hfs.rename('/moved', '/t/x'))).toBe('ENOENT');
    expect(c(() => hfs.rename('/../../secret', '/y'))).toBe('ENOENT');
    expect(c(() => hfs.chmod('/../../../secret', 0o777))).toBe('ENOENT');
    expect(c(() => hfs.truncate('/../secret', 0))).toBe('ENOENT');
    expect(c(() => hfs.unlink('/../../../secret'))).toBe('ENOENT');
    expect(c(() => hfs.rmdir('/..'))).toBe('ENOTEMPTY');
    expect(c(() => hfs.rmdir('/'))).toBe('EBUSY');
    expect(nodeFs.statSync(join(sb.top, 'secret')).mode & 0o7777).not.toBe(0o777);
    for (const [p, content] of sb.outside) expect(nodeFs.readFileSync(p, 'utf8')).toBe(content);
  });

  it('errors name the guest path only', () => {
    const errs: unknown[] = [];
    const grab = (f: () => unknown): void => {
      try {
        f();
      } catch (e) {
        errs.push(e);
      }
    };
    grab(() => hfs.readFile('/missing/x'));
    grab(() => hfs.mkdir('/'));
    grab(() => hfs.rmdir('/nope'));
    grab(() => hfs.open('/', O_WRONLY));
    hfs.writeFile('/f', 'x');
    grab(() => hfs.readdir('/f'));
    grab(() => hfs.open('/f/', O_RDONLY));
    grab(() => hfs.setxattr('/f', 'user.a', enc.encode('v')));
    grab(() => hfs.mknod('/fifo', 'fifo', 0o644));
    expect(errs).toHaveLength(8);
    for (const e of errs) {
      expect(isFsError(e)).toBe(true);
      expect((e as Error).message).not.toContain(sb.top);
    }
    expect((errs[0] as Error).message).toBe("ENOENT: read '/missing/x'");
  });
});

describe('HostFs operations', () => {
  it('open, read, write, append, truncate, fstat, close', () => {
    const h = hfs.open('/f', O_RDWR | O_CREAT | O_EXCL, 0o640);
    expect(h.write(0, enc.encode('hello'))).toBe(5);
    expect(h.write(8, enc.encode('!'))).toBe(1);
    expect(Array.from(h.read(0, 100))).toEqual([...enc.encode('hello'), 0, 0, 0, 33]);
    expect(h.append(enc.encode('+'))).toBe(1);
    expect(h.stat().size).toBe(10);
    expect(h.stat().mode).toBe(0o100640); // exact mode: no umask
    h.truncate(2);
    expect(text(h.read(0, 100))).toBe('he');
    expect(text(h.read(5, 100))).toBe('');
    expect(c(() => h.read(-1, 1))).toBe('EINVAL');
    hfs.unlink('/f'); // the fd outlives the name
    expect(text(h.read(0, 2))).toBe('he');
    h.close();
    expect(c(() => h.read(0, 1))).toBe('EBADF');
    expect(c(() => h.close())).toBe('EBADF');

    hfs.writeFile('/g', 'abc');
    const r = hfs.open('/g', O_RDONLY);
    expect(c(() => r.write(0, enc.encode('x')))).toBe('EBADF');
    expect(c(() => r.truncate(0))).toBe('EBADF');
    r.close();
    const a = hfs.open('/g', O_WRONLY | O_APPEND);
    a.write(0, enc.encode('d'));
    expect(c(() => a.read(0, 1))).toBe('EBADF');
    a.close();
    expect(text(hfs.readFile('/g'))).toBe('abcd');
    hfs.open('/g', O_WRONLY | O_TRUNC).close();
    expect(hfs.stat('/g').size).toBe(0);
    const d = hfs.open('/', O_RDONLY | O_DIRECTORY);
    expect(c(() => d.read(0, 1))).toBe('EISDIR');
    expect(d.stat().mode & 0o170000).toBe(0o040000);
    d.close();
  });

  it('stat, readdir, mkdir modes, utimes, chmod, chown, realpath', () => {
    hfs.mkdir('/d', 0o2750); // mkdir keeps 0o1777 only
    expect(hfs.stat('/d').mode).toBe(0o040750);
    hfs.chmod('/d', 0o2750);
    expect(hfs.stat('/d').mode).toBe(0o042750);
    hfs.mkdir('/d/sub', 0o700); // inherits setgid from its parent
    expect(hfs.stat('/d/sub').mode).toBe(0o042700);
    hfs.writeFile('/d/f', 'x', { mode: 0o4755 });
    expect(hfs.stat('/d/f').mode).toBe(0o104755);
    hfs.symlink('f', '/d/l');
    expect(
      hfs
        .readdir('/d')
        .map((e) => `${e.name}:${e.kind}`)
        .sort(),
    ).toEqual(['f:file', 'l:symlink', 'sub:dir']);
    expect(hfs.readdir('/d').find((e) => e.name === 'f')!.ino).toBe(hfs.stat('/d/f').ino);
    hfs.utimes('/d/f', 1_000_000, 'omit');
    const st = hfs.stat('/d/f');
    expect(st.atimeMs).toBe(1_000_000);
    hfs.utimes('/d/l', 'omit', 2_000_000, { nofollow: true });
    expect(hfs.lstat('/d/l').mtimeMs).toBe(2_000_000);
    expect(hfs.stat('/d/l').mtimeMs).toBe(st.mtimeMs);
    hfs.chmod('/d/l', 0o600); // follows
    expect(hfs.stat('/d/f').mode).toBe(0o100600);
    expect(c(() => hfs.chmod('/d/l', 0o600, { nofollow: true }))).toBe('EOPNOTSUPP');
    if (isRoot) {
      hfs.chown('/d/l', 123, -1, { nofollow: true });
      expect(hfs.lstat('/d/l').uid).toBe(123);
      expect(hfs.stat('/d/l').uid).toBe(0);
      hfs.chown('/d/l', 5, 6);
      expect([hfs.stat('/d/f').uid, hfs.stat('/d/f').gid]).toEqual([5, 6]);
    }
    expect(hfs.realpath('/d/./sub/../l')).toBe('/d/f');
    expect(hfs.realpath('d/l')).toBe('/d/f');
    expect(c(() => hfs.realpath('/d/f/'))).toBe('ENOTDIR');
    expect(hfs.stat('/').mode & 0o170000).toBe(0o040000);
    expect(c(() => hfs.getxattr('/d/f', 'user.a'))).toBe('EOPNOTSUPP');
    expect(c(() => hfs.listxattr('/d/f'))).toBe('EOPNOTSUPP');
    expect(c(() => hfs.listxattr('/nope'))).toBe('ENOENT');
    expect(c(() => hfs.removexattr('/d/f', ''))).toBe('ERANGE');
    expect(c(() => hfs.mknod('/d/f', 'fifo', 0o644))).toBe('EEXIST');
    expect(c(() => hfs.mknod('/d/p', 'fifo', 0o644))).toBe('EPERM');
    expect(c(() => hfs.truncate('/d', 0))).toBe('EISDIR');
    expect(c(() => hfs.truncate('/d/f', -1))).toBe('EINVAL');
  });

  it('read-only: EROFS for every change, reads work', () => {
    hfs.mkdir('/d');
    hfs.writeFile('/d/f', 'data');
    hfs.symlink('f', '/d/l');
    const ro = new HostFs(sb.box, { readOnly: true });
    try {
      expect(text(ro.readFile('/d/l'))).toBe('data');
      expect(ro.readdir('/d')).toHaveLength(2);
      const h = ro.open('/d/f', O_RDONLY | O_CREAT); // exists: nothing to create
      expect(text(h.read(0, 10))).toBe('data');
      h.close();
      const changes: [string, () => unknown][] = [
        ['mkdir', () => ro.mkdir('/e')],
        ['rmdir', () => ro.rmdir('/d')],
        ['unlink', () => ro.unlink('/d/f')],
        ['rename', () => ro.rename('/d/f', '/g')],
        ['link', () => ro.link('/d/f', '/g')],
        ['symlink', () => ro.symlink('x', '/g')],
        ['mknod', () => ro.mknod('/g', 'fifo', 0o644)],
        ['chmod', () => ro.chmod('/d/f', 0o600)],
        ['chown', () => ro.chown('/d/f', 0, 0)],
        ['utimes', () => ro.utimes('/d/f', 'now', 'now')],
        ['truncate', () => ro.truncate('/d/f', 0)],
        ['writeFile', () => ro.writeFile('/d/f', 'x')],
        ['create', () => ro.open('/new', O_WRONLY | O_CREAT)],
        ['write', () => ro.open('/d/f', O_WRONLY)],
        ['trunc', () => ro.open('/d/f', O_RDONLY | O_TRUNC)],
        ['setxattr', () => ro.setxattr('/d/f', 'user.a', enc.encode('v'))],
      ];
      for (const [what, f] of changes) expect(`${what} ${c(f)}`).toBe(`${what} EROFS`);
      // Lookup errors come first, as on Linux.
      expect(c(() => ro.mkdir('/d'))).toBe('EEXIST');
      expect(c(() => ro.chmod('/nope', 0))).toBe('ENOENT');
      expect(text(ro.readFile('/d/f'))).toBe('data');
    } finally {
      ro.close();
    }
  });

  it('refuses a root that is not a directory, without naming it', () => {
    const file = join(sb.top, 'secret');
    expect(c(() => new HostFs(file))).toBe('ENOTDIR');
    expect(c(() => new HostFs(join(sb.top, 'missing')))).toBe('ENOENT');
  });
});
