/**
 * Harness smoke test: the project's setup file (test/support/node-setup.ts or
 * browser-setup.ts) has installed berth's platform services, and they agree across
 * environments.
 */
import { describe, expect, inject, it } from 'vitest';
import { platform, type ByteStream } from '../../src/platform.js';
import './provided.js';

const environment = inject('berthEnvironment');
const text = (s: string) => new TextEncoder().encode(s);

async function* chunks(...parts: Uint8Array[]): ByteStream {
  yield* parts;
}

async function collect(source: ByteStream): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of source) parts.push(part);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

describe(`platform services (${environment})`, () => {
  it('hashes SHA-256 across chunk boundaries', () => {
    const h = platform().sha256();
    h.update(text('a'));
    h.update(text('bc'));
    expect(h.digest()).toBe('sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(platform().sha256().digest()).toBe(
      'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('round-trips gzip', async () => {
    const { codecs } = platform();
    const input = text('berth '.repeat(10_000));
    const gz = await collect(codecs.gzip(chunks(input.subarray(0, 7), input.subarray(7))));
    expect(gz[0]).toBe(0x1f);
    expect(gz[1]).toBe(0x8b);
    expect(gz.length).toBeLessThan(input.length / 10);
    expect(await collect(codecs.gunzip(chunks(gz)))).toEqual(input);
  });
});
