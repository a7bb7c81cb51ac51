import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import { sealChecksum } from '../../src/tar/fields.js';
import { readTar } from '../../src/tar/reader.js';
import type { ReadTarOptions } from '../../src/tar/types.js';
import { all, chunked, rejection, tarOf, text } from '../layers/helpers.js';

const read = (bytes: Uint8Array, opts?: ReadTarOptions) => all(readTar(chunked(bytes, 4096), opts));

async function oneFile(size = 1000): Promise<Uint8Array> {
  return tarOf([{ header: { name: 'f', type: 'file' }, body: new Uint8Array(size).fill(0x61) }]);
}

function patch(bytes: Uint8Array, off: number, s: string, reseal = true, block = 0): Uint8Array {
  const out = Uint8Array.from(bytes);
  for (let i = 0; i < s.length; i++) out[off + i] = s.charCodeAt(i);
  if (reseal) sealChecksum(out.subarray(block, block + 512));
  return out;
}

async function expectInvalid(p: Promise<unknown>, re: RegExp): Promise<void> {
  const e = await rejection(p);
  expect(e).toBeInstanceOf(InvalidArgumentError);
  expect(e.message).toMatch(re);
}

describe('readTar rejects bad input', () => {
  it('bad header checksum', async () => {
    const bytes = patch(await oneFile(), 0, 'g', false);
    await expectInvalid(read(bytes), /invalid tar header at offset 0 \(entry 'g'\): bad checksum/);
  });

  it('non-octal size field', async () => {
    await expectInvalid(
      read(patch(await oneFile(), 124, '00000abc000')),
      /tar entry 'f': invalid octal number in the size field/,
    );
  });

  it('non-numeric mode and PAX size', async () => {
    await expectInvalid(
      read(patch(await oneFile(), 100, '12x4567')),
      /'f': invalid octal number in the mode field/,
    );
    const pax = await tarOf([{ header: { name: 'u', type: 'file', uid: 3_000_000 }, body: text('x') }]);
    const i = Buffer.from(pax).indexOf('uid=3000000');
    await expectInvalid(
      read(patch(pax, i, 'uid=30000x0', false)),
      /tar entry 'u': invalid PAX uid '30000x0'/,
    );
  });

  it('absurd sizes', async () => {
    await expectInvalid(
      read(patch(await oneFile(), 124, '77777777777')),
      /tar entry 'f': size 8589934591 exceeds the limit of 1073741824 bytes/,
    );
    await expectInvalid(
      read(await oneFile(100), { maxEntrySize: 10 }),
      /tar entry 'f': size 100 exceeds the limit of 10 bytes/,
    );
    const b256 = Uint8Array.from(await oneFile());
    b256.set([0x80, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], 124);
    sealChecksum(b256.subarray(0, 512));
    await expectInvalid(read(b256), /tar entry 'f': the size field is out of range/);
  });

  it('truncated body, padding and header', async () => {
    const bytes = await oneFile(1000);
    await expectInvalid(
      read(bytes.subarray(0, 512 + 600)),
      /^truncated tar: entry 'f' needs 1024 bytes \(only 600 left\)$/,
    );
    await expectInvalid(read(bytes.subarray(0, 512 + 1010)), /truncated tar: entry 'f' needs 1024 bytes/);
    await expectInvalid(
      read(bytes.subarray(0, 300)),
      /truncated tar: the header at offset 0 needs 512 bytes \(only 300 left\)/,
    );
    const pax = await tarOf([{ header: { name: 'p'.repeat(300), type: 'file' }, body: text('x') }]);
    await expectInvalid(
      read(pax.subarray(0, 1024)),
      /truncated tar: metadata at offset 1024 has no entry after it/,
    );
  });

  it('a lone zero block followed by data', async () => {
    const f = await oneFile(10);
    const bad = new Uint8Array(512 + f.length);
    bad.set(f, 512);
    await expectInvalid(read(bad), /lone zero block at offset 0/);
  });

  it('unsupported entry types and sparse files', async () => {
    await expectInvalid(read(patch(await oneFile(), 156, 'S')), /tar entry 'f': unsupported entry type 'S'/);
  });

  it('malformed PAX records', async () => {
    const pax = await tarOf([{ header: { name: 'é', type: 'file' }, body: text('x') }]);
    const i = Buffer.from(pax).indexOf('path=');
    await expectInvalid(read(patch(pax, i - 3, '99', false)), /malformed PAX record/);
  });
});

describe('readTar stream handling', () => {
  it('accepts an archive without end blocks and ignores data after them', async () => {
    const f = await oneFile(10);
    expect(await read(f.subarray(0, 1024))).toHaveLength(1);
    const junk = new Uint8Array(f.length + 3000).fill(7);
    junk.set(f);
    expect(await read(junk)).toHaveLength(1);
  });

  it('reads the source to its end after the archive, and releases it when stopped early', async () => {
    const f = await tarOf([
      { header: { name: 'a', type: 'file' }, body: text('1') },
      { header: { name: 'b', type: 'file' }, body: text('2') },
    ]);
    const padded = new Uint8Array(10240);
    padded.set(f);
    let seen = 0;
    let returned = false;
    const source = (): AsyncIterable<Uint8Array> => ({
      [Symbol.asyncIterator]() {
        const it = chunked(padded, 512);
        return {
          next: async () => {
            const r = await it.next();
            if (!r.done) seen += r.value.length;
            return r;
          },
          return: async () => {
            returned = true;
            return { done: true, value: undefined };
          },
        };
      },
    });
    await all(readTar(source()));
    expect(seen).toBe(10240);
    expect(returned).toBe(false);
    seen = 0;
    const it = readTar(source());
    await it.next();
    await it.return(undefined);
    expect(returned).toBe(true);
    expect(seen).toBeLessThan(10240);
  });
});
