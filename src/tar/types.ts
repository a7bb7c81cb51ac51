/** The entry kinds berth reads and writes; other tar typeflags are rejected. */
export type TarEntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'chardev' | 'blockdev' | 'fifo';

/** One tar member's metadata, after GNU long names and PAX records are applied. */
export interface TarHeader {
  /** Path as stored (directories usually end in '/'); not normalised. */
  name: string;
  type: TarEntryType;
  /** Permission bits including setuid/setgid/sticky (mode & 0o7777). */
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  /** Body length in bytes (0 for every type but 'file'). */
  size: number;
  /** Modification time in milliseconds since the epoch (may be negative or fractional). */
  mtimeMs: number;
  /** Symlink target or hard-link target path; '' otherwise. */
  linkname: string;
  devmajor: number;
  devminor: number;
  /** Extended attributes from PAX 'SCHILY.xattr.*' records; values are raw bytes. */
  xattrs: Map<string, Uint8Array>;
}

export interface TarEntry {
  header: TarHeader;
  /** The whole body (empty for non-files). */
  body: Uint8Array;
}

/** What the writer needs: name and type, everything else defaults (0, '', 0o644/0o755). */
export type TarWriteHeader = Pick<TarHeader, 'name' | 'type'> & Partial<Omit<TarHeader, 'name' | 'type'>>;

export interface TarWriteEntry {
  header: TarWriteHeader;
  /** File content; a stream body needs `header.size`. */
  body?: Uint8Array | AsyncIterable<Uint8Array>;
}

export interface ReadTarOptions {
  /** Largest body (and PAX/GNU metadata record) accepted; default 1 GiB. */
  maxEntrySize?: number;
}
