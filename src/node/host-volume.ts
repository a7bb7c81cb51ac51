/**
 * A bind volume's source on the host, for the emulated runtime: a directory as a HostFs,
 * or a file (Docker bind-mounts single files too, such as a config file) as a HostFs of
 * its directory whose mount root is the file, so nothing beside it is reachable. Links
 * in the source path are resolved first, as Docker does.
 */
import { realpathSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { FileSystem } from '../vfs/filesystem.js';
import { HostFs } from './host-fs.js';

export function hostVolume(source: string, readOnly: boolean): { fs: FileSystem; root?: string } {
  let real: string;
  try {
    real = realpathSync(source);
  } catch {
    return { fs: new HostFs(source, { readOnly }) }; // HostFs names what is wrong with it
  }
  if (statSync(real).isDirectory()) return { fs: new HostFs(real, { readOnly }) };
  return { fs: new HostFs(dirname(real), { readOnly }), root: `/${basename(real)}` };
}
