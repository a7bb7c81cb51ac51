/** Streaming zstd decompression in pure JavaScript (fzstd), for browsers and old Node. */
import { Decompress } from 'fzstd';

export async function* unzstdJs(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = [];
  const d = new Decompress((chunk) => {
    if (chunk.length > 0) out.push(chunk);
  });
  let any = false;
  for await (const chunk of source) {
    if (chunk.length === 0) continue;
    any = true;
    d.push(chunk);
    if (out.length > 0) yield* out.splice(0);
  }
  if (!any) throw new Error('unexpected EOF: empty zstd stream');
  d.push(new Uint8Array(0), true);
  yield* out.splice(0);
}
