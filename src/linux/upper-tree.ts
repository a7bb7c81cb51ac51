/**
 * Reads a Linux overlayfs upper directory into the Inode tree model that layers and the
 * emulated OverlayFs use, so `diff` and `commit` on the Linux backend run the same code
 * (src/runtime/changes.ts, src/layers/diff.ts) as on the emulated one.
 *
 * overlayfs marks a deleted name with a 0:0 character device (→ a `whiteout` inode) and a
 * directory that hides the lowers with trusted.overlay.opaque=y (→ `opaque`). Its other
 * trusted.overlay.* attributes (origin, impure, redirect…) are bookkeeping and are
 * dropped; every other xattr is kept, as a layer tar would carry it.
 *
 * Node cannot read trusted.* xattrs, so one `getfattr` dump of the whole tree supplies
 * them (the reverse of layer-dir.ts's `setfattr --restore`). The directory must not
 * change while it is read: the container is stopped, or its changes are a snapshot.
 */
import { lstatSync, readFileSync, readdirSync, readlinkSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { Inode, makedev } from '../vfs/inode.js';
import { overlayXattrPrefix } from './userns.js';
import { runTool } from './tool.js';

/** glibc's dev_t layout (what Node's stats.rdev holds) → major, minor. */
function devParts(rdev: number): [number, number] {
  const dev = BigInt(rdev);
  const major = Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn));
  const minor = Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn));
  return [major, minor];
}

/** Decode getfattr's `\ooo` escapes of a file name (bytes of its UTF-8 form). */
function unescapeName(s: string): string {
  const src = Buffer.from(s, 'utf8');
  const out: number[] = [];
  for (let i = 0; i < src.length; i++) {
    const b = src[i]!;
    const oct = b === 0x5c ? /^[0-7]{3}/.exec(src.subarray(i + 1, i + 4).toString('latin1')) : null;
    if (oct) {
      out.push(parseInt(oct[0], 8));
      i += 3;
    } else out.push(b);
  }
  return Buffer.from(out).toString('utf8');
}

/** Every xattr under `dir` by relative path, from one `getfattr -d` dump (hex values). */
export async function readXattrs(
  dir: string,
  getfattr = 'getfattr',
): Promise<Map<string, Map<string, Uint8Array>>> {
  const dump = await runTool(getfattr, ['-R', '-P', '-h', '-d', '-m', '-', '-e', 'hex', '.'], { cwd: dir });
  const out = new Map<string, Map<string, Uint8Array>>();
  let current: Map<string, Uint8Array> | undefined;
  for (const line of dump.split('\n')) {
    if (line.startsWith('# file: ')) {
      current = new Map();
      out.set(unescapeName(line.slice('# file: '.length)), current);
      continue;
    }
    const eq = line.indexOf('=');
    if (current === undefined || eq <= 0) continue;
    const value = line.slice(eq + 1);
    const hex = value.startsWith('0x') ? value.slice(2) : '';
    current.set(unescapeName(line.slice(0, eq)), Uint8Array.from(Buffer.from(hex, 'hex')));
  }
  return out;
}

function newInode(st: Stats): Inode {
  const kind = st.isDirectory()
    ? 'dir'
    : st.isFile()
      ? 'file'
      : st.isSymbolicLink()
        ? 'symlink'
        : st.isCharacterDevice()
          ? st.rdev === 0
            ? 'whiteout'
            : 'chardev'
          : st.isBlockDevice()
            ? 'blockdev'
            : st.isFIFO()
              ? 'fifo'
              : 'socket';
  const n = new Inode(kind, st.mode & 0o7777);
  n.uid = st.uid;
  n.gid = st.gid;
  n.atimeMs = st.atimeMs;
  n.mtimeMs = st.mtimeMs;
  n.ctimeMs = st.ctimeMs;
  if (kind === 'chardev' || kind === 'blockdev') n.rdev = makedev(...devParts(st.rdev));
  return n;
}

/** The upper directory `dir` as an Inode tree (its root is `dir` itself). */
export async function readUpperTree(dir: string, tools: { getfattr?: string } = {}): Promise<Inode> {
  const xattrs = await readXattrs(dir, tools.getfattr);
  // overlayfs's own attributes: trusted.overlay.*, or user.overlay.* when rootless
  const prefix = overlayXattrPrefix();
  // Hard links inside the upper share one Inode, as in a layer tree.
  const byIno = new Map<string, Inode>();

  const node = (path: string, rel: string, st: Stats): Inode => {
    const key = `${st.dev}:${st.ino}`;
    const seen = st.nlink > 1 && !st.isDirectory() ? byIno.get(key) : undefined;
    if (seen) {
      seen.nlink++;
      return seen;
    }
    const n = newInode(st);
    if (n.kind === 'file') {
      const data = readFileSync(path);
      n.data = new Uint8Array(data.buffer, data.byteOffset, data.length);
      n.size = data.length;
      if (st.nlink > 1) byIno.set(key, n);
    } else if (n.kind === 'symlink') {
      n.target = readlinkSync(path, 'utf8');
      n.size = Buffer.byteLength(n.target);
    }
    for (const [name, value] of xattrs.get(rel) ?? []) {
      if (name === `${prefix}opaque`) n.opaque = n.kind === 'dir' && value.length === 1 && value[0] === 0x79;
      else if (!name.startsWith(prefix)) (n.xattrs ??= new Map()).set(name, value);
    }
    if (n.kind === 'dir') {
      for (const name of readdirSync(path).sort()) {
        const p = join(path, name);
        const child = node(p, rel === '.' ? name : `${rel}/${name}`, lstatSync(p));
        n.entries!.set(name, child);
        if (child.kind === 'dir') n.nlink++;
      }
    }
    return n;
  };
  return node(dir, '.', lstatSync(dir));
}
