/** An open file over one inode (FileHandle), shared by every filesystem. */
import { FsError } from './errno.js';
import { O_ACCMODE, O_APPEND, O_RDONLY, O_WRONLY, type FileHandle, type Stat } from './filesystem.js';
import type { Inode } from './inode.js';
import { readContent, truncateContent, writeContent } from './inode-data.js';

/** What a handle needs from its filesystem. */
export interface HandleHost {
  now(): number;
}

export class InodeHandle implements FileHandle {
  private closed = false;

  /**
   * @param inode the inode read and written, asked for at each call: a read-only handle on an
   *   overlay's lower file sees the upper copy once something copies it up, as with overlayfs.
   *   For a writable handle it must be mutable (the overlay copies up before opening for writing).
   * @param statFn fstat, following the filesystem's rules for st_ino and st_nlink.
   */
  constructor(
    private readonly inode: () => Inode,
    readonly flags: number,
    private readonly host: HandleHost,
    private readonly statFn: () => Stat,
  ) {}

  private check(syscall: string, write: boolean): void {
    const acc = this.flags & O_ACCMODE;
    if (this.closed || (write ? acc === O_RDONLY : acc === O_WRONLY)) throw new FsError('EBADF', syscall);
  }

  private regular(syscall: string, position: number): Inode {
    const inode = this.inode();
    if (inode.kind === 'dir') throw new FsError('EISDIR', syscall);
    if (inode.kind !== 'file' || position < 0 || !Number.isSafeInteger(position))
      throw new FsError('EINVAL', syscall);
    return inode;
  }

  read(position: number, length: number): Uint8Array {
    this.check('read', false);
    return readContent(this.regular('read', position), position, length);
  }

  write(position: number, bytes: Uint8Array): number {
    this.check('write', true);
    const inode = this.regular('write', position);
    const at = this.flags & O_APPEND ? inode.size : position;
    return writeContent(inode, at, bytes, this.host.now(), 'write');
  }

  append(bytes: Uint8Array): number {
    this.check('write', true);
    const inode = this.regular('write', 0);
    return writeContent(inode, inode.size, bytes, this.host.now(), 'write');
  }

  truncate(length: number): void {
    this.check('ftruncate', true);
    if (length < 0) throw new FsError('EINVAL', 'ftruncate');
    truncateContent(this.regular('ftruncate', 0), length, this.host.now(), 'ftruncate');
  }

  stat(): Stat {
    if (this.closed) throw new FsError('EBADF', 'fstat');
    return this.statFn();
  }

  close(): void {
    if (this.closed) throw new FsError('EBADF', 'close');
    this.closed = true;
  }
}
