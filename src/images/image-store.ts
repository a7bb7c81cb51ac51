/**
 * The image store: a ContentStore of blobs plus a TagTable of names. Identity is the
 * config digest (Docker's image ID); names are full normalised references. Removing
 * the last name of an image deletes it and garbage-collects every blob no remaining
 * image reaches.
 */
import { gc } from '../content/gc.js';
import type { BlobRef } from '../content/refs.js';
import type { ContentStore } from '../content/store.js';
import { InvalidArgumentError, NotFoundError, UnsupportedPlatformError } from '../errors.js';
import { parseIndex } from '../oci/parse-index.js';
import type { Platform } from '../oci/platform.js';
import type { Descriptor } from '../oci/types.js';
import { ConflictError } from './errors.js';
import {
  DEFAULT_PLATFORM,
  imageIdOf,
  layersSize,
  loadImage,
  shortId,
  type ImageContent,
} from './image-content.js';
import { Mutex } from './mutex.js';
import { formatReference, parseReference, repositoryOf, tryParseReference } from './reference.js';
import { copyRecord, type TagRecord, type TagTable } from './tag-table.js';

/** Runs `fn` holding a lock that other processes sharing the store respect. */
export type StoreLock = <T>(fn: () => Promise<T>) => Promise<T>;

export interface ImageStoreOptions {
  /** Platform chosen from multi-platform indexes (default linux/amd64). */
  platform?: Platform;
  /** A cross-process lock (on-disk stores); the store always serialises its own calls. */
  lock?: StoreLock;
}

/** One image as listed: every name that points at it. */
export interface ImageSummary {
  /** 'sha256:…' */
  id: string;
  /** Full normalised names, sorted; empty for an image kept without a name. */
  names: string[];
  target: Descriptor;
  /** config.created, when the image has a manifest for the store's platform. */
  created?: string;
  /** Sum of the layer blob sizes of the platform's manifest. */
  size: number;
}

export interface ResolvedImage extends ImageContent {
  id: string;
  names: string[];
}

export interface RemoveReport {
  untagged: string[];
  /** The image ID when the image itself was deleted. */
  deleted?: string;
  /** Blobs that garbage collection removed. */
  removedBlobs: string[];
}

export interface CommitResult {
  /** Each committed record with the image ID it names. */
  records: { name?: string; id: string; target: Descriptor }[];
}

const FULL_ID = /^sha256:[a-f0-9]{64}$/;
const ID_PREFIX = /^(?:sha256:)?([a-f0-9]{1,64})$/;

export class ImageStore {
  readonly platform: Platform;
  private readonly mutex = new Mutex();
  private readonly externalLock: StoreLock | undefined;

  constructor(
    readonly content: ContentStore,
    private readonly tags: TagTable,
    options: ImageStoreOptions = {},
  ) {
    this.platform = options.platform ?? DEFAULT_PLATFORM;
    this.externalLock = options.lock;
  }

  /** Serialise with this process's other calls and, where given, with other processes. */
  locked<T>(fn: () => Promise<T>): Promise<T> {
    const lock = this.externalLock;
    return this.mutex.run(lock ? () => lock(fn) : fn);
  }

  /** The raw tag table. */
  records(): Promise<TagRecord[]> {
    return this.tags.load();
  }

  /** Every image with its names, newest first (like `docker images`). */
  async list(): Promise<ImageSummary[]> {
    const byId = new Map<string, ImageSummary>();
    for (const r of await this.withIds(await this.tags.load())) {
      let summary = byId.get(r.id);
      if (!summary) {
        summary = { id: r.id, names: [], target: r.target, size: 0 };
        try {
          const img = await this.loadForListing(r.target);
          if (img.config.created !== undefined) summary.created = img.config.created;
          summary.size = layersSize(img.manifest);
        } catch {
          // missing content: listed without date and size
        }
        byId.set(r.id, summary);
      }
      if (r.name !== undefined) summary.names.push(r.name);
    }
    const out = [...byId.values()];
    for (const s of out) s.names.sort();
    return out.sort((a, b) => (b.created ?? '').localeCompare(a.created ?? '') || a.id.localeCompare(b.id));
  }

  /** The image for this store's platform, else (an index without it) its first platform's. */
  private async loadForListing(target: Descriptor): Promise<ImageContent> {
    try {
      return await loadImage(this.content, target, this.platform);
    } catch (e) {
      if (!(e instanceof UnsupportedPlatformError)) throw e;
      const index = parseIndex(await this.content.read(target.digest), `index ${target.digest}`);
      const first = index.manifests.find((m) => m.platform)?.platform;
      if (first === undefined) throw e;
      return loadImage(this.content, target, first);
    }
  }

  /**
   * Find an image the way Docker does: an exact name (after normalisation; `name@digest`
   * matches a name of that repository pointing at that digest), else a full ID or a
   * unique ID prefix. NotFoundError "No such image: REF" otherwise.
   */
  async lookup(ref: string): Promise<{ id: string; target: Descriptor; names: string[]; byName?: string }> {
    const records = await this.tags.load();
    const withIds = await this.withIds(records);
    const namesOf = (id: string): string[] =>
      withIds
        .filter((r) => r.id === id && r.name !== undefined)
        .map((r) => r.name!)
        .sort();

    if (!FULL_ID.test(ref)) {
      const parsed = tryParseReference(ref);
      if (parsed) {
        let hit: (typeof withIds)[number] | undefined;
        if (parsed.digest !== undefined) {
          const repo = repositoryOf(parsed);
          hit = withIds.find(
            (r) =>
              r.name !== undefined &&
              repositoryOf(parseReference(r.name)) === repo &&
              r.target.digest === parsed.digest,
          );
        } else {
          const name = formatReference(parsed);
          hit = withIds.find((r) => r.name === name);
          if (hit) return { id: hit.id, target: hit.target, names: namesOf(hit.id), byName: name };
        }
        if (hit) return { id: hit.id, target: hit.target, names: namesOf(hit.id) };
      }
    }
    const m = ID_PREFIX.exec(ref);
    if (m) {
      const prefix = `sha256:${m[1]}`;
      const ids = [
        ...new Set(
          withIds.filter((r) => r.id.startsWith(prefix) || r.target.digest === ref).map((r) => r.id),
        ),
      ];
      if (ids.length > 1)
        throw new ConflictError(
          `image ID prefix '${ref}' is ambiguous: it matches ${ids.map(shortId).join(', ')}`,
        );
      const hit = withIds.find((r) => r.id === ids[0]);
      if (hit) return { id: hit.id, target: hit.target, names: namesOf(hit.id) };
    }
    throw new NotFoundError(`No such image: ${ref}`);
  }

  /** Look up an image and load its manifest and config for the store's platform. */
  async resolve(ref: string, platform: Platform = this.platform): Promise<ResolvedImage> {
    const found = await this.lookup(ref);
    const content = await loadImage(this.content, found.target, platform);
    return { ...content, id: found.id, names: found.names };
  }

  /** Point the name `target` at the image `source` names (`docker tag`). */
  async tag(source: string, target: string): Promise<void> {
    const ref = parseReference(target);
    if (ref.digest !== undefined)
      throw new InvalidArgumentError(`refusing to create a tag with a digest reference: '${target}'`);
    return this.locked(async () => {
      const found = await this.lookup(source);
      const records = await this.tags.load();
      this.applyRecord(records, { name: formatReference(ref), target: found.target });
      await this.tags.save(records);
    });
  }

  /** Remove one name; true when it existed. Blobs stay (see `remove`). */
  async untag(name: string): Promise<boolean> {
    const full = formatReference(parseReference(name));
    return this.locked(async () => {
      const records = await this.tags.load();
      const kept = records.filter((r) => r.name !== full);
      if (kept.length === records.length) return false;
      await this.tags.save(kept);
      return true;
    });
  }

  /**
   * `docker rmi`: by name, untag it and delete the image when it was its last name; by
   * ID, delete the image with all its names, which needs `force` when several names
   * point at it (ConflictError). Unreferenced blobs are garbage-collected.
   */
  remove(ref: string, options: { force?: boolean } = {}): Promise<RemoveReport> {
    return this.locked(async () => {
      const found = await this.lookup(ref);
      const records = await this.withIds(await this.tags.load());
      const report: RemoveReport = { untagged: [], removedBlobs: [] };
      let remaining: typeof records;
      if (found.byName !== undefined) {
        report.untagged.push(found.byName);
        remaining = records.filter((r) => r.name !== found.byName);
        const others = remaining.filter((r) => r.id === found.id && r.name !== undefined);
        if (others.length === 0) {
          remaining = remaining.filter((r) => r.id !== found.id);
          report.deleted = found.id;
        }
      } else {
        if (found.names.length > 1 && !options.force) {
          throw new ConflictError(
            `conflict: unable to delete ${shortId(found.id)} (must be forced) - image is referenced in multiple repositories`,
          );
        }
        report.untagged.push(...found.names);
        remaining = records.filter((r) => r.id !== found.id);
        report.deleted = found.id;
      }
      await this.tags.save(
        remaining.map(({ name, target }) => copyRecord(name === undefined ? { target } : { name, target })),
      );
      if (report.deleted !== undefined) report.removedBlobs = await this.collectGarbage(remaining);
      return report;
    });
  }

  /** Delete every blob that no named or kept image reaches. */
  gc(): Promise<string[]> {
    return this.locked(async () => this.collectGarbage(await this.tags.load()));
  }

  /**
   * Copy every blob of `staging` into the store, then apply `records` to the tag table
   * (last, so that a failure leaves no name pointing at missing content). A name that
   * pointed at another image moves; that image is kept without a name, as Docker does.
   */
  commit(staging: ContentStore, records: TagRecord[]): Promise<CommitResult> {
    return this.locked(async () => {
      for (const blob of await staging.list()) {
        if (await this.content.has(blob.digest)) continue;
        await this.content.put(staging.get(blob.digest), blob);
      }
      const table = await this.tags.load();
      const result: CommitResult = { records: [] };
      for (const r of records) {
        this.applyRecord(table, r);
        const entry: CommitResult['records'][number] = {
          id: await imageIdOf(this.content, r.target),
          target: r.target,
        };
        if (r.name !== undefined) entry.name = r.name;
        result.records.push(entry);
      }
      await this.tags.save(table);
      return result;
    });
  }

  private async collectGarbage(records: TagRecord[]): Promise<string[]> {
    const roots: BlobRef[] = records.map((r) => ({ digest: r.target.digest, mediaType: r.target.mediaType }));
    return gc(this.content, roots);
  }

  private async withIds(records: TagRecord[]): Promise<(TagRecord & { id: string })[]> {
    const ids = new Map<string, string>();
    const out: (TagRecord & { id: string })[] = [];
    for (const r of records) {
      let id = ids.get(r.target.digest);
      if (id === undefined) {
        try {
          id = await imageIdOf(this.content, r.target);
        } catch (e) {
          if (!(e instanceof NotFoundError)) throw e;
          id = r.target.digest; // root blob missing: still addressable by its digest
        }
        ids.set(r.target.digest, id);
      }
      out.push({ ...r, id });
    }
    return out;
  }

  /** Apply one record to `table` in place (see `commit`). */
  private applyRecord(table: TagRecord[], record: TagRecord): void {
    const digest = record.target.digest;
    if (record.name === undefined) {
      if (!table.some((r) => r.target.digest === digest)) table.push(copyRecord(record));
      return;
    }
    const at = table.findIndex((r) => r.name === record.name);
    const previous = at >= 0 ? table[at]! : undefined;
    if (previous && previous.target.digest === digest) return;
    if (previous) table.splice(at, 1);
    // A name now points here: drop this image's unnamed placeholder.
    for (let i = table.length - 1; i >= 0; i--) {
      if (table[i]!.name === undefined && table[i]!.target.digest === digest) table.splice(i, 1);
    }
    table.push(copyRecord(record));
    if (previous && !table.some((r) => r.target.digest === previous.target.digest)) {
      table.push({ target: previous.target });
    }
  }
}
