/** Garbage collection of a ContentStore: delete what no root reaches. */
import { imageRefs, reachable, type BlobRef, type RefsOf } from './refs.js';
import type { ContentStore } from './store.js';

/**
 * Delete every blob not reachable from `roots` (tagged manifests and indexes) and
 * return the removed digests, sorted. Refuses (InvalidArgumentError) to delete anything
 * when a reachable index or manifest is malformed. Callers must keep concurrent puts of
 * not-yet-tagged blobs out while this runs (the image store holds its lock).
 */
export async function gc(
  store: ContentStore,
  roots: Iterable<string | BlobRef>,
  refsOf: RefsOf = imageRefs,
): Promise<string[]> {
  const keep = await reachable(store, roots, refsOf);
  const removed: string[] = [];
  for (const { digest } of await store.list()) {
    if (keep.has(digest)) continue;
    await store.delete(digest);
    removed.push(digest);
  }
  return removed.sort();
}
