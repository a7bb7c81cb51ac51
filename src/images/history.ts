/** `docker history`: config.history entries, newest first, matched to their layers. */
import type { ImageContent } from './image-content.js';

export interface HistoryRow {
  /** The image ID on the newest row, '<missing>' below it (as Docker shows). */
  id: string;
  created?: string;
  createdBy: string;
  /** Size of the layer this step made (as stored); 0 for empty layers. */
  size: number;
  comment: string;
  emptyLayer: boolean;
}

/** Rows newest first. Without config.history, one row per layer. */
export function imageHistory(image: ImageContent & { id: string }): HistoryRow[] {
  const layers = image.manifest.layers;
  const rows: HistoryRow[] = [];
  const history = image.config.history;
  if (history && history.length > 0) {
    let layer = 0;
    for (const h of history) {
      const empty = h.empty_layer === true;
      const row: HistoryRow = {
        id: '<missing>',
        createdBy: h.created_by ?? '',
        size: empty ? 0 : (layers[layer]?.size ?? 0),
        comment: h.comment ?? '',
        emptyLayer: empty,
      };
      if (h.created !== undefined) row.created = h.created;
      if (!empty) layer++;
      rows.push(row);
    }
  } else {
    for (const l of layers)
      rows.push({ id: '<missing>', createdBy: '', size: l.size, comment: '', emptyLayer: false });
  }
  rows.reverse();
  if (rows[0]) rows[0].id = image.id;
  return rows;
}
