/**
 * The on-disk image store of a berth root:
 *
 *   <root>/images/          an OCI image layout (DirContentStore); its index.json is the
 *                           tag table (ref.name = tag, io.containerd.image.name = full name)
 *   <root>/images.lock      held while the store changes (see store-lock.ts)
 *
 * The directory is a valid OCI layout that skopeo and umoci can read.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ImageStore } from '../images/image-store.js';
import { layoutIndex, recordsFromIndex } from '../images/layout-index.js';
import type { TagRecord, TagTable } from '../images/tag-table.js';
import type { Platform } from '../oci/platform.js';
import { DirContentStore } from './dir-content-store.js';
import { fileLock } from './store-lock.js';

/** The tag table kept in a DirContentStore's index.json. */
export class LayoutTagTable implements TagTable {
  constructor(private readonly layout: DirContentStore) {}

  async load(): Promise<TagRecord[]> {
    return recordsFromIndex(await this.layout.readIndex());
  }

  async save(records: TagRecord[]): Promise<void> {
    await this.layout.writeIndex(layoutIndex(records));
  }
}

/** `--root`, else $BERTH_ROOT, else $XDG_DATA_HOME/berth, else ~/.local/share/berth. */
export function defaultRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BERTH_ROOT) return env.BERTH_ROOT;
  if (env.XDG_DATA_HOME) return join(env.XDG_DATA_HOME, 'berth');
  return join(homedir(), '.local', 'share', 'berth');
}

/** The platform of this Node process ('linux/amd64', 'linux/arm64/v8', …). */
export function hostPlatform(): Platform {
  const arch: Record<string, string> = {
    x64: 'amd64',
    arm64: 'arm64',
    arm: 'arm',
    ia32: '386',
    ppc64: 'ppc64le',
    s390x: 's390x',
    riscv64: 'riscv64',
  };
  const p: Platform = { os: 'linux', architecture: arch[process.arch] ?? process.arch };
  if (p.architecture === 'arm64') p.variant = 'v8';
  return p;
}

/** Open (creating if needed) the image store under a berth root. */
export async function openImageStore(
  root: string,
  options: { platform?: Platform } = {},
): Promise<ImageStore> {
  const layout = await DirContentStore.open(join(root, 'images'));
  return new ImageStore(layout, new LayoutTagTable(layout), {
    platform: options.platform ?? hostPlatform(),
    lock: fileLock(join(root, 'images.lock')),
  });
}
