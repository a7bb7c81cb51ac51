/**
 * Real directories for the differential test: writing an Inode layer to disk the way an
 * overlayfs lowerdir looks (whiteouts as 0:0 char devices, opaque directories with
 * trusted.overlay.opaque=y), and reading a directory back as a snapshot.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { major, minor, type Inode, type InodeKind } from '../../../src/vfs/inode.js';

/** One path of a snapshot. */
export interface Entry {
  kind: InodeKind;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  nlink: number;
  ino: number;
  mtimeMs: number;
  rdev: string;
  sha?: string;
  target?: string;
  /** Sorted "name=hex" of the user.* xattrs (and trusted.overlay.opaque in an upper). */
  xattrs: string;
  opaque?: boolean;
}

export type Snapshot = Map<string, Entry>;

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

export function sha(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

export function sh(cmd: string): void {
  execFileSync('sh', ['-c', cmd], { stdio: ['ignore', 'ignore', 'pipe'] });
}

const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Write layer `root` as directory `dir` (which must not exist). */
export function writeLayer(root: Inode, dir: string): void {
  const firstPath = new Map<Inode, string>();
  const nodes: string[] = [];
  const attrs: string[] = [];
  const post: [Inode, string][] = [];
  const walk = (d: Inode, p: string): void => {
    for (const [name, e] of d.entries!) {
      const c = join(p, name);
      const seen = firstPath.get(e);
      if (seen !== undefined) {
        fs.linkSync(seen, c);
        continue;
      }
      firstPath.set(e, c);
      switch (e.kind) {
        case 'dir':
          fs.mkdirSync(c);
          walk(e, c);
          break;
        case 'file':
          fs.writeFileSync(c, e.content());
          break;
        case 'symlink':
          fs.symlinkSync(e.target!, c);
          break;
        case 'whiteout':
          nodes.push(`mknod ${q(c)} c 0 0`);
          break;
        case 'fifo':
          nodes.push(`mknod ${q(c)} p`);
          break;
        case 'chardev':
        case 'blockdev':
          nodes.push(`mknod ${q(c)} ${e.kind === 'chardev' ? 'c' : 'b'} ${major(e.rdev)} ${minor(e.rdev)}`);
          break;
        case 'socket':
          throw new Error('no sockets in layers');
      }
      if (e.kind !== 'whiteout') post.push([e, c]);
    }
  };
  fs.mkdirSync(dir);
  walk(root, dir);
  post.push([root, dir]);
  if (nodes.length) sh(nodes.join(' && '));
  for (const [e, c] of post) {
    const x: string[] = [];
    if (e.opaque) x.push('trusted.overlay.opaque="y"');
    for (const [k, v] of e.xattrs ?? []) x.push(`${k}=0x${hex(v)}`);
    if (x.length) attrs.push(`# file: ${c}`, ...x, '');
  }
  if (attrs.length) {
    const dump = join(tmpdir(), `berth-xattrs-${process.pid}`);
    fs.writeFileSync(dump, attrs.join('\n') + '\n');
    execFileSync('setfattr', [`--restore=${dump}`]);
    fs.rmSync(dump);
  }
  // Owners, modes, times: children before their directory (creating entries moves mtime).
  for (const [e, c] of post) {
    fs.lchownSync(c, e.uid, e.gid);
    if (e.kind !== 'symlink') fs.chmodSync(c, e.mode);
    fs.lutimesSync(c, e.atimeMs / 1000, e.mtimeMs / 1000);
  }
}

function kindOf(st: fs.Stats): InodeKind {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'dir';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isFIFO()) return 'fifo';
  if (st.isCharacterDevice()) return st.rdev === 0 ? 'whiteout' : 'chardev';
  if (st.isBlockDevice()) return 'blockdev';
  return 'socket';
}

/** getfattr's dump of a tree: path → sorted "name=hex" list, keeping names that `keep` accepts. */
function readXattrs(dir: string, keep: (name: string) => boolean): Map<string, string> {
  let out: string;
  try {
    out = execFileSync(
      'getfattr',
      ['-R', '-P', '-h', '-d', '-m', '-', '-e', 'hex', '--absolute-names', dir],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        maxBuffer: 1 << 26,
      },
    );
  } catch (e) {
    const err = e as { stdout: string; stderr: string };
    if (process.env.BERTH_DEBUG) console.error(err.stderr);
    out = err.stdout;
  }
  const res = new Map<string, string>();
  let file = '';
  let list: string[] = [];
  const flush = (): void => {
    if (file) res.set(file, list.sort().join(','));
  };
  for (const line of out.split('\n')) {
    if (line.startsWith('# file: ')) {
      flush();
      file = line.slice(8);
      list = [];
    } else if (line.includes('=')) {
      const i = line.indexOf('=');
      const name = line.slice(0, i);
      if (keep(name)) list.push(`${name}=${line.slice(i + 3)}`);
    }
  }
  flush();
  return res;
}

/**
 * Snapshot of a real directory tree. With `upper`, 0:0 char devices are whiteouts and
 * trusted.overlay.opaque is read; otherwise (a merged mount) only user.* xattrs count.
 */
export function snapshotDir(dir: string, upper: boolean): Snapshot {
  const xattrs = readXattrs(dir, (n) => n.startsWith('user.') || (upper && n === 'trusted.overlay.opaque'));
  const snap: Snapshot = new Map();
  const walk = (abs: string, rel: string): void => {
    const st = fs.lstatSync(abs);
    const kind = kindOf(st);
    let x = xattrs.get(abs) ?? '';
    const opaque = x.includes('trusted.overlay.opaque=79');
    x = x
      .split(',')
      .filter((s) => s.startsWith('user.'))
      .join(',');
    const e: Entry = {
      kind,
      mode: st.mode & 0o7777,
      uid: st.uid,
      gid: st.gid,
      size: st.size,
      nlink: st.nlink,
      ino: st.ino,
      mtimeMs: st.mtimeMs,
      rdev: kind === 'chardev' || kind === 'blockdev' ? `${major(st.rdev)}:${minor(st.rdev)}` : '',
      xattrs: x,
    };
    if (upper && kind === 'dir') e.opaque = opaque;
    if (kind === 'file') e.sha = sha(fs.readFileSync(abs));
    if (kind === 'symlink') e.target = fs.readlinkSync(abs);
    snap.set(rel, e);
    if (kind === 'dir') {
      for (const name of fs.readdirSync(abs)) walk(join(abs, name), rel ? `${rel}/${name}` : name);
    }
  };
  walk(dir, '');
  return snap;
}
