import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import { isValidDigest, parseDigest, parseSha256, sha256Of, shortDigest } from '../../src/oci/digest.js';
import { digestStream } from '../../src/oci/digest-stream.js';

const EMPTY = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const ABC = 'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
}

async function* chunked(bytes: Uint8Array, sizes: number[]): AsyncGenerator<Uint8Array> {
  let off = 0;
  for (let i = 0; off < bytes.length; i++) {
    const n = sizes[i % sizes.length]!;
    yield bytes.subarray(off, off + n);
    off += n;
  }
}

describe('digests', () => {
  it('hashes the known vectors', () => {
    expect(sha256Of(new Uint8Array())).toBe(EMPTY);
    expect(sha256Of('')).toBe(EMPTY);
    expect(sha256Of(new TextEncoder().encode('abc'))).toBe(ABC);
    expect(sha256Of('abc')).toBe(ABC);
  });

  it('accepts only lowercase sha256/sha512 of the right length', () => {
    expect(isValidDigest(ABC)).toBe(true);
    expect(isValidDigest(`sha512:${'a'.repeat(128)}`)).toBe(true);
    for (const bad of [
      ABC.toUpperCase(),
      `sha256:${'A'.repeat(64)}`,
      `sha256:${'a'.repeat(63)}`,
      `sha256:${'a'.repeat(65)}`,
      `sha512:${'a'.repeat(64)}`,
      `md5:${'a'.repeat(32)}`,
      'a'.repeat(64),
      'sha256:../../etc/passwd',
      '',
      42,
      undefined,
    ]) {
      expect(isValidDigest(bad), String(bad)).toBe(false);
    }
  });

  it('parses and refuses digests', () => {
    expect(parseDigest(ABC)).toEqual({ algorithm: 'sha256', hex: ABC.slice(7) });
    expect(parseDigest(`sha512:${'0'.repeat(128)}`).algorithm).toBe('sha512');
    expect(() => parseDigest('sha256:xyz')).toThrow(InvalidArgumentError);
    expect(() => parseDigest('sha256:xyz')).toThrow(/invalid digest 'sha256:xyz'/);
    expect(parseSha256(ABC)).toBe(ABC.slice(7));
    expect(() => parseSha256(`sha512:${'0'.repeat(128)}`)).toThrow(/unsupported digest algorithm 'sha512'/);
  });

  it('shortens digests for messages', () => {
    expect(shortDigest(ABC)).toBe('sha256:ba7816bf8f01…');
    expect(shortDigest('x')).toBe('x');
  });
});

describe('digestStream', () => {
  it('equals the one-shot digest however the bytes are chunked', async () => {
    const data = randomBytes(1_000_003);
    const want = sha256Of(data);
    for (const sizes of [[1_000_003], [1, 7, 65536], [4096], [3, 100_000]]) {
      expect(await digestStream(chunked(data, sizes))).toEqual({ digest: want, size: data.length });
    }
    expect(await digestStream(data)).toEqual({ digest: want, size: data.length });
  });

  it('hashes an empty stream', async () => {
    expect(await digestStream(chunked(new Uint8Array(), [1]))).toEqual({ digest: EMPTY, size: 0 });
  });

  it('shows every chunk, in order, to onChunk', async () => {
    const data = randomBytes(10_000);
    const seen: number[] = [];
    await digestStream(chunked(data, [333]), async (c) => {
      seen.push(...c);
    });
    expect(Uint8Array.from(seen)).toEqual(data);
  });

  it('stops reading when onChunk throws', async () => {
    let pulled = 0;
    async function* src(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 10; i++) {
        pulled++;
        yield new Uint8Array([i]);
      }
    }
    await expect(
      digestStream(src(), (c) => {
        if (c[0] === 2) throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(pulled).toBe(3);
  });
});
