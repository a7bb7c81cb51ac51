/**
 * The base image is loaded into an image store on first use: `berth run` with no image
 * (or `toolbox`) finds it there from then on, like any other image.
 */
import { importArchive } from '../images/import-archive.js';
import type { FileSet } from '../images/file-set.js';
import type { ImageStore } from '../images/image-store.js';
import { NotFoundError } from '../errors.js';
import { INDEX_FILE } from '../oci/layout.js';
import { parseIndex } from '../oci/parse-index.js';
import { TOOLBOX_ALIASES, TOOLBOX_IMAGE } from './image.js';

export function isToolboxReference(ref: string | undefined): boolean {
  return ref === undefined || TOOLBOX_ALIASES.includes(ref) || ref === `docker.io/${TOOLBOX_IMAGE}`;
}

/** The packaged image's manifest digests, read once per source (it does not change while berth runs). */
const packaged = new WeakMap<() => Promise<FileSet>, Promise<{ files: FileSet; digests: string[] }>>();

function packagedImage(source: () => Promise<FileSet>): Promise<{ files: FileSet; digests: string[] }> {
  let p = packaged.get(source);
  if (p === undefined) {
    p = source().then(async (files) => ({
      files,
      digests: parseIndex(await files.read(INDEX_FILE), `${files.source}: ${INDEX_FILE}`).manifests.map(
        (m) => m.digest,
      ),
    }));
    p.catch(() => packaged.delete(source));
    packaged.set(source, p);
  }
  return p;
}

/**
 * Import berth/toolbox:latest from `source` unless the store already has exactly that
 * image (a store filled by an older berth gets the packaged one again). Costs a look-up in
 * the store's index (and, once per source, reading the packaged index).
 */
export async function ensureToolboxImage(store: ImageStore, source: () => Promise<FileSet>): Promise<void> {
  let have: string | undefined;
  try {
    have = (await store.lookup(TOOLBOX_IMAGE)).target.digest;
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
  }
  const { files, digests } = await packagedImage(source);
  if (have !== undefined && digests.includes(have)) return;
  await importArchive(store, files);
}
