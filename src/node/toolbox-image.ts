/** Where the packaged base image lives (dist/toolbox-image, built by npm run build), as a FileSet. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NotFoundError } from '../errors.js';
import type { FileSet } from '../images/file-set.js';
import { dirFileSet } from './archive-dir.js';

/**
 * dist/toolbox-image: beside this module's folder (dist/node/toolbox-image.js → dist), or
 * beside this module when it is part of the bundle dist/berth.mjs.
 */
export function packagedToolboxLayout(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, 'toolbox-image');
  return existsSync(beside) ? beside : join(here, '..', 'toolbox-image');
}

export function packagedToolboxFiles(): Promise<FileSet> {
  const dir = packagedToolboxLayout();
  if (!existsSync(join(dir, 'index.json')))
    return Promise.reject(
      new NotFoundError(
        `the built-in image berth/toolbox:latest is missing from ${dir}: run 'npm run build'`,
      ),
    );
  return Promise.resolve(dirFileSet(dir));
}
