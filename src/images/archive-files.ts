/**
 * The files of an archive being written (an OCI layout, an oci-archive, a
 * docker-archive), independent of where they go: `archiveTar` streams them as a tar;
 * src/node writes them to a directory.
 */
import { writeTar } from '../tar/writer.js';
import type { TarWriteEntry } from '../tar/types.js';

export interface ArchiveFile {
  /** Relative path with '/' separators, no '.' or '..' components. */
  path: string;
  size: number;
  /** The content; called once per write. */
  body: () => Uint8Array | AsyncIterable<Uint8Array>;
}

/** An in-memory file. */
export function bytesFile(path: string, bytes: Uint8Array | string): ArchiveFile {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  return { path, size: data.length, body: () => data };
}

/** Parent directories of `files`, shallowest first, each once. */
export function parentDirs(files: ArchiveFile[]): string[] {
  const dirs = new Set<string>();
  for (const f of files) {
    const parts = f.path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return [...dirs].sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
}

/**
 * A deterministic tar of `files` (directories first, then files in the given order;
 * root-owned, mtime 0, modes 0755/0644), as `docker save` and skopeo write them.
 */
export function archiveTar(files: ArchiveFile[]): AsyncIterable<Uint8Array> {
  function* entries(): Generator<TarWriteEntry> {
    for (const d of parentDirs(files))
      yield { header: { name: `${d}/`, type: 'dir', mode: 0o755, mtimeMs: 0 } };
    for (const f of files) {
      yield { header: { name: f.path, type: 'file', mode: 0o644, size: f.size, mtimeMs: 0 }, body: f.body() };
    }
  }
  return writeTar(entries());
}
