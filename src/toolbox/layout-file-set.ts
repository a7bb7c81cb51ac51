/** An in-memory OCI layout (buildToolboxLayout's output) as the FileSet importers read. */
import { InvalidArgumentError } from '../errors.js';
import type { FileSet } from '../images/file-set.js';
import type { LayoutFiles } from './image.js';

export function layoutFileSet(files: LayoutFiles, source = 'the built-in toolbox image'): FileSet {
  return {
    source,
    list: () => Promise.resolve([...files.keys()]),
    has: (path) => Promise.resolve(files.has(path)),
    read: (path) => {
      const bytes = files.get(path);
      return bytes === undefined
        ? Promise.reject(new InvalidArgumentError(`${source}: no file ${path}`))
        : Promise.resolve(bytes);
    },
  };
}
