import { describe, expect, it } from 'vitest';
import { browserSha256 } from '../../src/browser-platform.js';
import { nodeSha256 } from '../../src/node/platform.js';

describe('sha256 implementations', () => {
  it('agree on known vectors', () => {
    for (const make of [browserSha256, nodeSha256]) {
      const h = make();
      h.update(new TextEncoder().encode('abc'));
      expect(h.digest()).toBe('sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
      expect(make().digest()).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    }
  });

  it('noble (browser) and node:crypto agree on random data fed in random chunks', () => {
    for (let round = 0; round < 20; round++) {
      const data = new Uint8Array(Math.floor(Math.random() * 300_000));
      for (let i = 0; i < data.length; i += 65536) crypto.getRandomValues(data.subarray(i, i + 65536));
      const a = browserSha256();
      const b = nodeSha256();
      for (let off = 0; off < data.length;) {
        const n = 1 + Math.floor(Math.random() * 70_000);
        a.update(data.subarray(off, off + n));
        b.update(data.subarray(off, off + n));
        off += n;
      }
      expect(a.digest()).toBe(b.digest());
    }
  });
});
