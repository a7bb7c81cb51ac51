import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserCodecs } from '../../src/compress/browser.js';
import { decompress } from '../../src/compress/decompress.js';
import { detectCompression } from '../../src/compress/detect.js';
import { limitBytes } from '../../src/compress/limit.js';
import { InvalidArgumentError, ResourceLimitError } from '../../src/errors.js';
import { nodeCodecs } from '../../src/node/codecs.js';
import { describeWith } from '../support/requirements.js';
import { chunked, collect, rejection, sameBytes, sh, tempDir } from '../layers/helpers.js';

const plain = new Uint8Array(500_000).map((_, i) =>
  i % 251 < 100 ? 65 + (i % 26) : (i * 2654435761) >>> 24,
);

describe('detectCompression', () => {
  it('recognises magic bytes', () => {
    expect(detectCompression(Uint8Array.from([0x1f, 0x8b, 8, 0]))).toBe('gzip');
    expect(detectCompression(Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd]))).toBe('zstd');
    expect(detectCompression(Uint8Array.from([0x28, 0xb5, 0x2f]))).toBe('none');
    expect(detectCompression(new TextEncoder().encode('hello'))).toBe('none');
    expect(detectCompression(new Uint8Array(0))).toBe('none');
  });
});

describe('limitBytes', () => {
  it('passes small streams and stops bombs', async () => {
    expect((await collect(limitBytes(chunked(plain, 1000), plain.length, 'x'))).length).toBe(plain.length);
    const e = await rejection(collect(limitBytes(chunked(plain, 1000), 4096, 'test stream')));
    expect(e).toBeInstanceOf(ResourceLimitError);
    expect(e.message).toBe('test stream exceeds the limit of 4096 bytes');
  });
});

describeWith([{ tool: 'gzip' }, { tool: 'zstd' }], 'codecs', () => {
  const dir = tempDir('codecs');
  writeFileSync(join(dir, 'p'), plain);
  sh('gzip -k -9 p && zstd -q -19 p -o p.zst', dir);
  const gz = readFileSync(join(dir, 'p.gz'));
  const zst = readFileSync(join(dir, 'p.zst'));

  for (const [name, codecs] of [
    ['node', nodeCodecs],
    ['browser', browserCodecs],
  ] as const) {
    describe(`${name} codecs`, () => {
      it('gunzip and unzstd', async () => {
        expect(sameBytes(await collect(codecs.gunzip(chunked(gz, 3000))), plain)).toBe(true);
        expect(sameBytes(await collect(codecs.unzstd(chunked(zst, 3000))), plain)).toBe(true);
      });

      it('gzip round trips (and gzip(1) agrees)', async () => {
        const packed = await collect(codecs.gzip(chunked(plain, 10000)));
        expect(detectCompression(packed)).toBe('gzip');
        expect(sameBytes(await collect(codecs.gunzip(chunked(packed, 777))), plain)).toBe(true);
        writeFileSync(join(dir, `${name}.gz`), packed);
        expect(sh(`gzip -t ${name}.gz && echo ok`, dir)).toBe('ok\n');
      });

      it('decompress sniffs the format', async () => {
        for (const input of [gz, zst, plain]) {
          async function* dribble() {
            yield input.subarray(0, 1); // the magic arrives split across chunks
            yield input.subarray(1, 3);
            yield* chunked(input.subarray(3), 5000);
          }
          expect(sameBytes(await collect(decompress(dribble(), codecs)), plain)).toBe(true);
        }
        expect((await collect(decompress(new Uint8Array(0), codecs))).length).toBe(0);
      });

      it('reports corrupt and truncated gzip', async () => {
        const bad = Uint8Array.from(gz);
        bad.fill(0xaa, 100, 200);
        let e = await rejection(collect(decompress(bad, codecs)));
        expect(e).toBeInstanceOf(InvalidArgumentError);
        expect(e.message).toMatch(/^corrupt gzip stream: /);
        e = await rejection(collect(decompress(gz.subarray(0, gz.length - 1000), codecs)));
        expect(e).toBeInstanceOf(InvalidArgumentError);
        expect(e.message).toBe('truncated gzip stream');
      });

      it('reports corrupt and truncated zstd', async () => {
        const bad = Uint8Array.from(zst);
        bad[4] = 0xff; // frame header descriptor with reserved bit set
        bad.fill(0xaa, 10, 400);
        let e = await rejection(collect(decompress(bad, codecs)));
        expect(e).toBeInstanceOf(InvalidArgumentError);
        expect(e.message).toMatch(/^corrupt zstd stream: /);
        e = await rejection(collect(decompress(zst.subarray(0, zst.length - 1000), codecs)));
        expect(e).toBeInstanceOf(InvalidArgumentError);
        expect(e.message).toBe('truncated zstd stream');
        e = await rejection(collect(decompress(zst.subarray(0, 4), codecs)));
        expect(e.message).toBe('truncated zstd stream');
      });

      it("passes the source's own failures through", async () => {
        const boom = new Error('network down');
        async function* failing() {
          yield gz.subarray(0, 1000);
          throw boom;
        }
        expect(await rejection(collect(decompress(failing(), codecs)))).toBe(boom);
      });
    });
  }
});
