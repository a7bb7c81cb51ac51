/**
 * The tar, compression and layer code in whichever environment runs this file (Node or
 * Chromium): in-memory fixtures only, each environment's own platform codecs and hasher,
 * plus the browser codecs explicitly.
 */
import { describe, expect, it } from 'vitest';
import { browserCodecs } from '../../src/compress/browser.js';
import { decompress } from '../../src/compress/decompress.js';
import { InvalidArgumentError } from '../../src/errors.js';
import { diffToLayer } from '../../src/layers/diff.js';
import { flattenLayers } from '../../src/layers/flatten.js';
import { treeToTar } from '../../src/layers/to-tar.js';
import { unpackLayer } from '../../src/layers/unpack.js';
import { platform } from '../../src/platform.js';
import { readTar } from '../../src/tar/reader.js';
import { writeTar } from '../../src/tar/writer.js';
import type { TarWriteEntry } from '../../src/tar/types.js';

const text = (s: string) => new TextEncoder().encode(s);
const ZSTD_HELLO = 'KLUv/WRMA5UAAFhoZWxsbyB6c3RkCgEAPvgvXgUTm3o='; // zstd -19 of "hello zstd\n" × 100

async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const c of source) {
    parts.push(c);
    n += c.length;
  }
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
}

const entries = (): TarWriteEntry[] => [
  { header: { name: 'etc/', type: 'dir', mtimeMs: 1e12 } },
  { header: { name: 'etc/.wh.shadow', type: 'file' }, body: new Uint8Array(0) },
  {
    header: {
      name: `etc/${'long-'.repeat(40)}ü`,
      type: 'file',
      mode: 0o4755,
      xattrs: new Map([['user.k', text('v')]]),
    },
    body: text('long'),
  },
  { header: { name: 'var/.wh..wh..opq', type: 'file' }, body: new Uint8Array(0) },
  { header: { name: 'var/log', type: 'symlink', linkname: '/tmp' } },
  { header: { name: 'big', type: 'file' }, body: new Uint8Array(200_000).map((_, i) => i % 7) },
  { header: { name: 'big2', type: 'hardlink', linkname: 'big' } },
];

describe('tar and layers in this environment', () => {
  it('reads back what it writes', async () => {
    const bytes = await collect(writeTar(entries()));
    const back = [];
    for await (const e of readTar(chunks(bytes, 1000))) back.push(e);
    expect(back.map((e) => e.header.name)).toEqual(entries().map((e) => e.header.name));
    expect(back[2].header).toMatchObject({ mode: 0o4755 });
    expect(new TextDecoder().decode(back[2].header.xattrs.get('user.k'))).toBe('v');
  });

  it('unpacks a gzip layer made by the platform codecs, and writes it back identically', async () => {
    const tar = await collect(writeTar(entries()));
    const gz = await collect(platform().codecs.gzip(chunks(tar, 4096)));
    const layer = await unpackLayer(chunks(gz, 999));
    expect(layer.size).toBe(tar.length);
    const h = platform().sha256();
    h.update(tar);
    expect(layer.diffId).toBe(h.digest());
    const root = layer.root;
    expect(root.entries!.get('etc')!.entries!.get('shadow')!.kind).toBe('whiteout');
    expect(root.entries!.get('var')!.opaque).toBe(true);
    expect(root.entries!.get('big2')).toBe(root.entries!.get('big'));
    const diff = await diffToLayer(root);
    expect((await diffToLayer((await unpackLayer(diff.bytes)).root)).diffId).toBe(diff.diffId);
    expect(equalBytes(await collect(treeToTar(root)), diff.bytes)).toBe(true);
    const flat = flattenLayers([layer]);
    expect(flat.entries!.get('etc')!.entries!.has('shadow')).toBe(false);
  });

  it('decompresses zstd', async () => {
    const zst = Uint8Array.from(atob(ZSTD_HELLO), (c) => c.charCodeAt(0));
    const out = await collect(decompress(zst));
    expect(new TextDecoder().decode(out)).toBe('hello zstd\n'.repeat(100));
    const e = await failure(collect(decompress(zst.subarray(0, 20))));
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(e.message).toBe('truncated zstd stream');
  });

  it('browser codecs: gzip round trip, corrupt and truncated input', async () => {
    const plain = new Uint8Array(300_000).map((_, i) => (i * 13) % 251);
    const gz = await collect(browserCodecs.gzip(chunks(plain, 10_000)));
    expect(equalBytes(await collect(decompress(chunks(gz, 3333), browserCodecs)), plain)).toBe(true);
    const bad = Uint8Array.from(gz);
    bad.fill(0x55, 12, 40);
    let e = await failure(collect(decompress(bad, browserCodecs)));
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(e.message).toMatch(/^corrupt gzip stream: /);
    e = await failure(collect(decompress(gz.subarray(0, gz.length - 100), browserCodecs)));
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(e.message).toBe('truncated gzip stream');
  });
});
