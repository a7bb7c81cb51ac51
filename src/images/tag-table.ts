/**
 * The tag table seam: which names point at which image roots (a manifest or an index).
 * Browsers keep it in memory; on disk it is the `index.json` of the store's OCI image
 * layout (see src/node/image-store.ts). The ImageStore owns the invariants (one record
 * per name, unnamed records only for images no name points at); a table only loads and
 * saves the whole list, atomically.
 */
import type { Descriptor } from '../oci/types.js';

export interface TagRecord {
  /** Full normalised reference ('docker.io/library/busybox:latest'); absent for an image kept without a name. */
  name?: string;
  /** The image root: a manifest or an index, as stored in the content store. */
  target: Descriptor;
}

export interface TagTable {
  load(): Promise<TagRecord[]>;
  /** Replace the whole table (atomically where the medium allows). */
  save(records: TagRecord[]): Promise<void>;
}

/** A tag table in memory (browsers, tests, staging). */
export class MemoryTagTable implements TagTable {
  private records: TagRecord[] = [];

  async load(): Promise<TagRecord[]> {
    return this.records.map(copyRecord);
  }

  async save(records: TagRecord[]): Promise<void> {
    this.records = records.map(copyRecord);
  }
}

export function copyRecord(r: TagRecord): TagRecord {
  const target: Descriptor = { ...r.target };
  if (r.target.annotations) target.annotations = { ...r.target.annotations };
  return r.name === undefined ? { target } : { name: r.name, target };
}
