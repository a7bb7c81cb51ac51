/**
 * Image archives on disk: an OCI layout directory read as a FileSet for import, and
 * ArchiveFiles written out as a directory or (via archiveTar) as a tar file.
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { AlreadyExistsError, InvalidArgumentError } from '../errors.js';
import type { ArchiveFile } from '../images/archive-files.js';
import { normalizeArchivePath, type FileSet } from '../images/file-set.js';
import { uniqueTempName } from './fs-atomic.js';

/** A directory (an OCI image layout) as a FileSet; paths never leave it. */
export function dirFileSet(dir: string): FileSet {
  const full = (path: string) => join(dir, normalizeArchivePath(path));
  return {
    source: `directory ${dir}`,
    async list() {
      const out: string[] = [];
      const walk = async (rel: string): Promise<void> => {
        for (const e of await readdir(join(dir, rel), { withFileTypes: true })) {
          const p = rel ? `${rel}/${e.name}` : e.name;
          if (e.isDirectory()) await walk(p);
          else if (e.isFile()) out.push(p);
        }
      };
      await walk('');
      return out.sort();
    },
    async has(path) {
      try {
        return (await stat(full(path))).isFile();
      } catch {
        return false;
      }
    },
    async read(path) {
      try {
        return await readFile(full(path));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT')
          throw new InvalidArgumentError(`directory ${dir}: file '${path}' is missing`);
        throw e;
      }
    },
  };
}

/** Whether `path` is a directory. */
export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** A file's bytes as a stream (for tar archives that may be large). */
export function fileStream(path: string): AsyncIterable<Uint8Array> {
  return createReadStream(path, { highWaterMark: 256 * 1024 });
}

async function writeStream(path: string, body: Uint8Array | AsyncIterable<Uint8Array>): Promise<void> {
  const fh = await open(path, 'wx', 0o644);
  try {
    if (body instanceof Uint8Array) {
      await fh.writeFile(body);
    } else {
      for await (const chunk of body) await fh.write(chunk);
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Write a stream to `path` atomically (temp file beside it, then rename). */
export async function writeFileFromStream(path: string, body: AsyncIterable<Uint8Array>): Promise<void> {
  const tmp = join(dirname(path), uniqueTempName(`.${basename(path)}`));
  try {
    await writeStream(tmp, body);
    await rename(tmp, path);
  } finally {
    await rm(tmp, { force: true });
  }
}

/**
 * Write `files` as a new directory `dir` (which must not exist, or be empty): built in
 * a temp directory beside it, then renamed into place.
 */
export async function writeArchiveDir(dir: string, files: ArchiveFile[]): Promise<void> {
  if (await isDirectory(dir)) {
    if ((await readdir(dir)).length > 0) throw new AlreadyExistsError(`${dir} exists and is not empty`);
    await rm(dir, { recursive: true });
  }
  const tmp = join(dirname(dir), uniqueTempName(`.${basename(dir)}`));
  try {
    for (const f of files) {
      const path = join(tmp, normalizeArchivePath(f.path));
      await mkdir(dirname(path), { recursive: true });
      await writeStream(path, f.body());
    }
    await mkdir(tmp, { recursive: true });
    await rename(tmp, dir);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
