/**
 * Per-layer directories shared by every container: `<berth root>/linux/layers/<hex>/`,
 * `<hex>` being the sha256 of the layer's diff_id. Each layer is unpacked once, into a
 * temp directory `.tmp-*` beside them, and renamed into place: the rename is the
 * completeness marker, so a crash leaves only a temp directory (removed by cleanupStale)
 * and never a half layer under a real name.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ContentStore } from '../content/store.js';
import { InvalidArgumentError } from '../errors.js';
import type { ImageContent } from '../images/image-content.js';
import type { LayerLimits } from '../images/verify-layer.js';
import { unpackLayer } from '../layers/unpack.js';
import { writeLayerDir, type LayerDirTools } from './layer-dir.js';

const DIFF_ID = /^sha256:([a-f0-9]{64})$/;
export const LAYER_TEMP_PREFIX = '.tmp-';

export class LayerDirs {
  readonly dir: string;
  private readonly pending = new Map<string, Promise<string>>();

  constructor(
    berthRoot: string,
    private readonly tools: LayerDirTools = {},
  ) {
    this.dir = join(berthRoot, 'linux', 'layers');
  }

  /** The directory name of a layer (its diff_id's hex). */
  static nameOf(diffId: string): string {
    const m = DIFF_ID.exec(diffId);
    if (!m) throw new InvalidArgumentError(`layer diff_id '${diffId}' is not a sha256 digest`);
    return m[1]!;
  }

  path(diffId: string): string {
    return join(this.dir, LayerDirs.nameOf(diffId));
  }

  /** Unpack the image's missing layers; their directory names, bottom layer first. */
  async ensure(content: ContentStore, image: ImageContent, limits: LayerLimits = {}): Promise<string[]> {
    const diffIds = image.config.rootfs.diff_ids;
    const layers = image.manifest.layers;
    if (diffIds.length !== layers.length) {
      throw new InvalidArgumentError(
        `image has ${layers.length} layers but ${diffIds.length} diff_ids in its config`,
      );
    }
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const names: string[] = [];
    for (const [i, layer] of layers.entries()) {
      const diffId = diffIds[i]!;
      const name = LayerDirs.nameOf(diffId);
      if (!existsSync(join(this.dir, name))) {
        let p = this.pending.get(name);
        if (p === undefined) {
          p = this.unpack(content, layer.digest, diffId, name, limits).finally(() =>
            this.pending.delete(name),
          );
          this.pending.set(name, p);
        }
        await p;
      }
      names.push(name);
    }
    return names;
  }

  private async unpack(
    content: ContentStore,
    digest: string,
    diffId: string,
    name: string,
    limits: LayerLimits,
  ): Promise<string> {
    const tree = await unpackLayer(content.get(digest), { ...limits, expectedDiffId: diffId });
    const tmp = join(this.dir, `${LAYER_TEMP_PREFIX}${name.slice(0, 12)}-${process.pid}-${randomUUID()}`);
    mkdirSync(tmp, { mode: 0o700 });
    const final = join(this.dir, name);
    try {
      await writeLayerDir(tree.root, tmp, this.tools);
      try {
        renameSync(tmp, final);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // Another berth finished the same layer first: theirs is as good as ours.
        if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw e;
        rmSync(tmp, { recursive: true, force: true });
      }
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      throw e;
    }
    return final;
  }

  /** Remove temp directories a killed berth left (never a finished layer, nor a live writer's). */
  removeTemps(): string[] {
    if (!existsSync(this.dir)) return [];
    const gone: string[] = [];
    for (const n of readdirSync(this.dir)) {
      if (!n.startsWith(LAYER_TEMP_PREFIX)) continue;
      const pid = Number(n.split('-')[2]);
      if (Number.isInteger(pid) && processAlive(pid)) continue;
      rmSync(join(this.dir, n), { recursive: true, force: true });
      gone.push(n);
    }
    return gone;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
