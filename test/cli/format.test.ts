import { describe, expect, it } from 'vitest';
import { createdAt, ellipsis, humanDuration, humanSize, since, table } from '../../src/cli/format.js';
import { withProgress } from '../../src/cli/progress.js';

describe('docker-style formatting', () => {
  it('sizes: decimal units, 3 significant digits', () => {
    expect([0, 999, 1000, 1234, 4261234, 1.5e9, 2e12].map(humanSize)).toEqual([
      '0B',
      '999B',
      '1kB',
      '1.23kB',
      '4.26MB',
      '1.5GB',
      '2TB',
    ]);
  });

  it('durations like go-units HumanDuration', () => {
    const s = 1000;
    const h = 3600 * s;
    expect(
      [
        0.5 * s,
        1 * s,
        30 * s,
        61 * s,
        30 * 60 * s,
        h,
        5 * h,
        3 * 24 * h,
        20 * 24 * h,
        90 * 24 * h,
        800 * 24 * h,
      ].map(humanDuration),
    ).toEqual([
      'Less than a second',
      '1 second',
      '30 seconds',
      'About a minute',
      '30 minutes',
      'About an hour',
      '5 hours',
      '3 days',
      '2 weeks',
      '3 months',
      '2 years',
    ]);
    expect(since('2020-01-01T00:00:00Z', Date.parse('2020-01-01T02:00:00Z'))).toBe('2 hours ago');
    expect(since(undefined)).toBe('N/A');
    expect(createdAt('2020-01-02T03:04:05.123456789Z')).toBe('2020-01-02 03:04:05 +0000 UTC');
  });

  it('ellipsis and tables', () => {
    expect(ellipsis('abcdef', 4)).toBe('abc…');
    expect(ellipsis('abc', 4)).toBe('abc');
    expect(table(['A', 'LONGER HEADER', 'C'], [['x', 'y', 'z']])).toBe(
      'A         LONGER HEADER   C\nx         y               z\n',
    );
  });

  it('draws progress only on a terminal', async () => {
    const chunks = [new Uint8Array(10), new Uint8Array(20)];
    async function* src() {
      yield* chunks;
    }
    const plain: string[] = [];
    const piped = { write: (t: string | Uint8Array) => plain.push(String(t)), isTTY: false };
    let n = 0;
    for await (const c of withProgress('Loading', src(), 30, piped)) n += c.length;
    expect(n).toBe(30);
    expect(plain).toEqual([]);
    const drawn: string[] = [];
    const tty = { write: (t: string | Uint8Array) => drawn.push(String(t)), isTTY: true };
    for await (const c of withProgress('Loading', src(), 30, tty)) void c;
    expect(drawn.join('')).toContain('30B/30B');
    expect(drawn[drawn.length - 1]).toBe('\r\x1b[K');
  });
});
