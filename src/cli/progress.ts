/**
 * A byte-count progress bar on stderr, drawn only when stderr is a terminal (so pipes
 * and logs stay clean). Wraps a stream and redraws at most every 100 ms.
 */
import type { Output } from './context.js';
import { humanSize } from './format.js';

const WIDTH = 30;

export function withProgress(
  label: string,
  source: AsyncIterable<Uint8Array>,
  total: number | undefined,
  out: Output,
): AsyncIterable<Uint8Array> {
  if (!out.isTTY) return source;
  return (async function* () {
    let done = 0;
    let last = 0;
    const draw = (final: boolean) => {
      const now = Date.now();
      if (!final && now - last < 100) return;
      last = now;
      let bar = '';
      if (total && total > 0) {
        const filled = Math.min(WIDTH, Math.floor((done / total) * WIDTH));
        bar = `[${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${' '.repeat(WIDTH - filled)}] `;
      }
      out.write(`\r\x1b[K${label} ${bar}${humanSize(done)}${total ? `/${humanSize(total)}` : ''}`);
    };
    try {
      for await (const chunk of source) {
        done += chunk.length;
        draw(false);
        yield chunk;
      }
      draw(true);
    } finally {
      out.write('\r\x1b[K');
    }
  })();
}
