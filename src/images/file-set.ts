/**
 * The files of an image archive, whatever holds them: a tar stream read into memory
 * (oci-archive, docker-archive) or a directory on disk (an OCI layout, Node only).
 * Importers read files by archive path; symlinks and hard links inside a tar (skopeo's
 * legacy `<id>/layer.tar -> ../<hex>.tar`) resolve to their targets.
 */
import { InvalidArgumentError } from '../errors.js';
import { decompress } from '../compress/decompress.js';
import { readTar } from '../tar/reader.js';

export interface FileSet {
  /** Names the source in messages, e.g. "archive image.tar". */
  readonly source: string;
  /** Normalised paths of the regular files (after resolving links). */
  list(): Promise<string[]>;
  has(path: string): Promise<boolean>;
  /** The whole file; InvalidArgumentError naming the path and the source when absent. */
  read(path: string): Promise<Uint8Array>;
}

/** 'a/./b/../c' → 'a/c'; InvalidArgumentError for paths leaving the archive. */
export function normalizeArchivePath(path: string, what = 'archive path'): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) throw new InvalidArgumentError(`${what} '${path}' leaves the archive`);
      out.pop();
    } else {
      out.push(part);
    }
  }
  return out.join('/');
}

export interface TarFileSetOptions {
  /** Largest member accepted (readTar's maxEntrySize). */
  maxEntrySize?: number;
}

const MAX_LINK_DEPTH = 16;

/**
 * Read a tar stream (optionally gzip or zstd compressed, detected from its first
 * bytes) into memory. Truncated or malformed archives fail with InvalidArgumentError.
 */
export async function tarFileSet(
  source: AsyncIterable<Uint8Array> | Uint8Array,
  name: string,
  options: TarFileSetOptions = {},
): Promise<FileSet> {
  const files = new Map<string, Uint8Array>();
  const links = new Map<string, string>();
  const readOpts = options.maxEntrySize === undefined ? {} : { maxEntrySize: options.maxEntrySize };
  try {
    for await (const { header, body } of readTar(decompress(source), readOpts)) {
      const path = normalizeArchivePath(header.name, 'archive member');
      if (header.type === 'file') {
        files.set(path, body);
        links.delete(path);
      } else if (header.type === 'symlink') {
        const dir = path.split('/').slice(0, -1).join('/');
        const base = header.linkname.startsWith('/') ? header.linkname : `${dir}/${header.linkname}`;
        links.set(path, normalizeArchivePath(base, `link target of '${header.name}'`));
      } else if (header.type === 'hardlink') {
        links.set(path, normalizeArchivePath(header.linkname, `link target of '${header.name}'`));
      }
    }
  } catch (e) {
    if (e instanceof InvalidArgumentError) throw new InvalidArgumentError(`${name}: ${e.message}`);
    throw e;
  }
  const resolve = (path: string): string | undefined => {
    let p = normalizeArchivePath(path);
    for (let i = 0; i < MAX_LINK_DEPTH; i++) {
      if (files.has(p)) return p;
      const next = links.get(p);
      if (next === undefined) return undefined;
      p = next;
    }
    return undefined;
  };
  return {
    source: name,
    async list() {
      return [...new Set([...files.keys(), ...links.keys()])].filter((p) => resolve(p) !== undefined).sort();
    },
    async has(path) {
      return resolve(path) !== undefined;
    },
    async read(path) {
      const real = resolve(path);
      if (real === undefined) throw new InvalidArgumentError(`${name}: file '${path}' is missing`);
      return files.get(real)!;
    },
  };
}
