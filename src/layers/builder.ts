/**
 * Builds a layer's inode tree from tar members, one at a time, enforcing the safety
 * rules: no escaping the root, no writing through a symlink, hard links only to
 * earlier non-directory entries of this layer, no duplicate entries (a directory may
 * repeat). Whiteout files become `whiteout` inodes; `.wh..wh..opq` marks its dir opaque.
 */
import { InvalidArgumentError } from '../errors.js';
import type { TarHeader } from '../tar/types.js';
import { Inode, makedev } from '../vfs/inode.js';
import { markImplicitDir } from './implicit.js';
import { entryComponents } from './path.js';
import { OPAQUE_MARKER, WHITEOUT_META_PREFIX, WHITEOUT_PREFIX } from './whiteout.js';

export class LayerBuilder {
  readonly root: Inode = new Inode('dir', 0o755);
  entries = 0;

  constructor() {
    markImplicitDir(this.root);
  }

  add(h: TarHeader, body: Uint8Array): void {
    this.entries++;
    const label = `tar entry '${h.name}'`;
    const parts = entryComponents(h.name, label);
    if (parts.length === 0) {
      if (h.type !== 'dir') throw new InvalidArgumentError(`${label} names the root but is not a directory`);
      setMeta(this.root, h);
      markImplicitDir(this.root, false);
      return;
    }
    const base = parts[parts.length - 1];
    const parent = this.parentDir(parts, label);

    if (base.startsWith(WHITEOUT_META_PREFIX)) {
      if (base === OPAQUE_MARKER) parent.opaque = true;
      return; // other reserved names (AUFS bookkeeping) carry nothing for us
    }
    if (base.startsWith(WHITEOUT_PREFIX)) {
      const hidden = base.slice(WHITEOUT_PREFIX.length);
      if (hidden === '' || hidden === '.' || hidden === '..') {
        throw new InvalidArgumentError(`${label} is a whiteout without a valid name`);
      }
      const w = new Inode('whiteout', h.mode);
      setMeta(w, h);
      this.insert(parent, hidden, w, label);
      return;
    }

    const existing = parent.entries!.get(base);
    switch (h.type) {
      case 'dir': {
        if (existing?.kind === 'dir') {
          // A directory may appear twice (or after its contents); its metadata win.
          setMeta(existing, h);
          markImplicitDir(existing, false);
          return;
        }
        const d = new Inode('dir', h.mode);
        setMeta(d, h);
        this.insert(parent, base, d, label);
        return;
      }
      case 'hardlink': {
        const target = this.linkTarget(h, label);
        if (existing) throw new InvalidArgumentError(`duplicate ${label}`);
        parent.entries!.set(base, target);
        target.nlink++;
        return;
      }
      case 'file': {
        const f = new Inode('file', h.mode);
        setMeta(f, h);
        f.data = body;
        f.size = body.length;
        this.insert(parent, base, f, label);
        return;
      }
      case 'symlink': {
        const s = new Inode('symlink', 0o777);
        setMeta(s, h);
        s.mode = 0o777;
        s.target = h.linkname;
        s.size = new TextEncoder().encode(h.linkname).length;
        this.insert(parent, base, s, label);
        return;
      }
      case 'chardev':
      case 'blockdev':
      case 'fifo': {
        const n = new Inode(h.type, h.mode);
        setMeta(n, h);
        if (h.type !== 'fifo') n.rdev = makedev(h.devmajor, h.devminor);
        this.insert(parent, base, n, label);
        return;
      }
    }
  }

  /** The directory holding the last component, creating implicit parents on the way. */
  private parentDir(parts: string[], label: string): Inode {
    let dir = this.root;
    for (let i = 0; i < parts.length - 1; i++) {
      const child = dir.entries!.get(parts[i]);
      if (child === undefined) {
        const d = new Inode('dir', 0o755);
        markImplicitDir(d);
        dir.entries!.set(parts[i], d);
        dir.nlink++;
        dir = d;
      } else if (child.kind === 'dir') {
        dir = child;
      } else {
        const at = parts.slice(0, i + 1).join('/');
        throw new InvalidArgumentError(
          child.kind === 'symlink'
            ? `${label} goes through the symlink '${at}' of this layer`
            : `${label} goes through '${at}', which is not a directory`,
        );
      }
    }
    return dir;
  }

  private insert(parent: Inode, name: string, node: Inode, label: string): void {
    if (parent.entries!.has(name)) throw new InvalidArgumentError(`duplicate ${label}`);
    parent.entries!.set(name, node);
    if (node.kind === 'dir') parent.nlink++;
  }

  private linkTarget(h: TarHeader, label: string): Inode {
    const what = `${label} (hard link to '${h.linkname}')`;
    const parts = entryComponents(h.linkname, what);
    let node: Inode | undefined = this.root;
    for (const p of parts) {
      node = node.kind === 'dir' ? node.entries!.get(p) : undefined;
      if (node === undefined) break;
    }
    if (node === undefined || parts.length === 0 || node.kind === 'whiteout') {
      throw new InvalidArgumentError(`${what}: the target is not an earlier entry of this layer`);
    }
    if (node.kind === 'dir') throw new InvalidArgumentError(`${what}: the target is a directory`);
    return node;
  }
}

function setMeta(n: Inode, h: TarHeader): void {
  n.mode = h.mode & 0o7777;
  n.uid = h.uid;
  n.gid = h.gid;
  n.mtimeMs = n.atimeMs = n.ctimeMs = h.mtimeMs;
  n.xattrs = h.xattrs.size > 0 ? new Map(h.xattrs) : null;
}
