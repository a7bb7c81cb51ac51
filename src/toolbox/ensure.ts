/**
 * The base image is loaded into an image store on first use: `berth run` with no image
 * (or `toolbox`) finds it there from then on, like any other image.
 */
import { importArchive } from '../images/import-archive.js';
import type { FileSet } from '../images/file-set.js';
import type { ImageStore } from '../images/image-store.js';
import { NotFoundError } from '../errors.js';
import { TOOLBOX_ALIASES, TOOLBOX_IMAGE } from './image.js';

export function isToolboxReference(ref: string | undefined): boolean {
  return ref === undefined || TOOLBOX_ALIASES.includes(ref) || ref === `docker.io/${TOOLBOX_IMAGE}`;
}

/** Import berth/toolbox:latest from `source` unless the store has it. */
export async function ensureToolboxImage(store: ImageStore, source: () => Promise<FileSet>): Promise<void> {
  try {
    await store.lookup(TOOLBOX_IMAGE);
    return;
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
  }
  await importArchive(store, await source());
}
