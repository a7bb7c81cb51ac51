/**
 * tmpfs with a size limit (mount -t tmpfs -o size=N): a MemFs whose writes fail with
 * ENOSPC once the files it holds would exceed `sizeBytes` — as Linux counts tmpfs pages,
 * file contents only.
 */
import { FsError } from './errno.js';
import { O_ACCMODE, O_RDONLY, type FileHandle, type WriteFileOptions } from './filesystem.js';
import { MemFs } from './memfs.js';
import type { FsOptions } from './path-fs.js';
import { fileBytes } from './usage.js';

export class TmpFs extends MemFs {
  constructor(
    readonly sizeBytes: number,
    options: FsOptions = {},
  ) {
    super(undefined, options);
  }

  /** Bytes of file content held now. */
  usedBytes(): number {
    return fileBytes(this.root);
  }

  private room(growth: number, syscall: string): void {
    if (growth > 0 && this.usedBytes() + growth > this.sizeBytes) throw new FsError('ENOSPC', syscall);
  }

  override open(path: string, flags: number, mode?: number): FileHandle {
    const h = super.open(path, flags, mode);
    if ((flags & O_ACCMODE) === O_RDONLY) return h;
    const grow = (end: number, syscall: string) => this.room(end - h.stat().size, syscall);
    return {
      flags: h.flags,
      read: (p, n) => h.read(p, n),
      write: (p, bytes) => {
        grow(p + bytes.length, 'write');
        return h.write(p, bytes);
      },
      append: (bytes) => {
        grow(h.stat().size + bytes.length, 'write');
        return h.append(bytes);
      },
      truncate: (n) => {
        grow(n, 'ftruncate');
        h.truncate(n);
      },
      stat: () => h.stat(),
      close: () => h.close(),
    };
  }

  override writeFile(path: string, data: Uint8Array | string, options?: WriteFileOptions): void {
    const n = typeof data === 'string' ? new TextEncoder().encode(data).length : data.length;
    this.room(n, 'write');
    super.writeFile(path, data, options);
  }

  override truncate(path: string, length: number): void {
    this.room(length - this.stat(path).size, 'truncate');
    super.truncate(path, length);
  }
}

/** Parse a tmpfs size option: bytes, or with k, m, g suffix (or % — of `total`). */
export function parseTmpfsSize(text: string, total: number): number {
  const m = /^(\d+)([kKmMgG%]?)$/.exec(text.trim());
  if (m === null) throw new FsError('EINVAL', 'mount');
  const n = Number(m[1]);
  const unit = m[2]!.toLowerCase();
  if (unit === '%') return Math.floor((total * n) / 100);
  return n * (unit === 'k' ? 1024 : unit === 'm' ? 1 << 20 : unit === 'g' ? 1 << 30 : 1);
}
