/** Building layer trees from plain objects, and checking that they never change (browser-safe). */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { expect } from 'vitest';
import { isFsError, type ErrnoName } from '../../src/vfs/errno.js';
import { Inode, newSymlink } from '../../src/vfs/inode.js';

export type Spec = Inode | string | { [name: string]: Spec };

const enc = new TextEncoder();
export const T0 = 946684800000; // 2000-01-01, the time of every built inode

export function file(content: string | Uint8Array, mode = 0o644, attrs: Partial<Inode> = {}): Inode {
  const n = new Inode('file', mode);
  const data = typeof content === 'string' ? enc.encode(content) : content;
  n.data = data;
  n.size = data.length;
  return Object.assign(n, attrs);
}

export function dir(entries: { [name: string]: Spec }, attrs: Partial<Inode> = {}): Inode {
  const d = new Inode('dir', attrs.mode ?? 0o755);
  for (const [name, s] of Object.entries(entries)) d.entries!.set(name, build(s));
  return Object.assign(d, attrs);
}

export function opaque(entries: { [name: string]: Spec }): Inode {
  return dir(entries, { opaque: true });
}

export function whiteout(): Inode {
  return new Inode('whiteout', 0);
}

export function symlink(target: string): Inode {
  return newSymlink(target);
}

function build(s: Spec): Inode {
  if (s instanceof Inode) return s;
  if (typeof s === 'string') return file(s);
  return dir(s);
}

/** A layer root from a spec: times set, dir nlink = 2 + subdirs, file nlink = number of names. */
export function layer(entries: { [name: string]: Spec }): Inode {
  const root = dir(entries);
  const refs = new Map<Inode, number>();
  const walk = (d: Inode): void => {
    d.atimeMs = d.mtimeMs = d.ctimeMs = T0;
    let subdirs = 0;
    for (const e of d.entries!.values()) {
      if (e.kind === 'dir') {
        subdirs++;
        walk(e);
      } else {
        refs.set(e, (refs.get(e) ?? 0) + 1);
        e.atimeMs = e.mtimeMs = e.ctimeMs = T0;
      }
    }
    d.nlink = 2 + subdirs;
  };
  walk(root);
  for (const [n, c] of refs) n.nlink = c;
  return root;
}

/** A digest of everything in a tree (fields, entries, bytes, xattrs), to show it never changed. */
export function treeDigest(root: Inode): string {
  const h = sha256.create();
  const put = (s: string): void => void h.update(enc.encode(s));
  const seen = new Set<Inode>();
  const walk = (n: Inode, path: string): void => {
    const fields = [
      path,
      n.ino,
      n.kind,
      n.mode,
      n.uid,
      n.gid,
      n.nlink,
      n.size,
      n.atimeMs,
      n.mtimeMs,
      n.ctimeMs,
    ];
    put(JSON.stringify([...fields, n.opaque, n.target, n.rdev, n.data ? n.data.length : -1]));
    if (n.data) h.update(n.data);
    for (const [k, v] of n.xattrs ?? []) {
      put(k);
      h.update(v);
    }
    if (seen.has(n)) return;
    seen.add(n);
    if (n.entries) for (const [name, e] of n.entries) walk(e, `${path}/${name}`);
  };
  walk(root, '');
  return bytesToHex(h.digest());
}

/** Object.freeze every inode of a tree (typed arrays and maps cannot be frozen; treeDigest covers them). */
export function freezeTree(root: Inode): Inode {
  const walk = (n: Inode): void => {
    if (Object.isFrozen(n)) return;
    Object.freeze(n);
    if (n.entries) for (const e of n.entries.values()) walk(e);
  };
  walk(root);
  return root;
}

/** Expect `fn` to throw an FsError with `code`. */
export function expectErrno(fn: () => unknown, code: ErrnoName): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  if (!isFsError(err))
    throw new Error(`expected ${code}, got ${err === undefined ? 'success' : String(err)}`);
  expect(err.code).toBe(code);
}

export function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

export function names(list: { name: string }[]): string[] {
  return list.map((d) => d.name).sort();
}
