// The README's union-filesystem example, run as written (in Node and in Chromium).
import { expect, it } from 'vitest';
import { diffToLayer, unpackLayer } from '../../src/layers/index.js';
import { writeTar } from '../../src/tar/index.js';
import { FsError, OverlayFs } from '../../src/vfs/index.js';

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

it('unpacks a layer, writes through an overlay, and diffs the upper into a layer', async () => {
  const motd = new TextEncoder().encode('welcome\n');
  const layerBytes = await collect(
    writeTar([
      { header: { name: 'bin/', type: 'dir', mode: 0o755 } },
      { header: { name: 'bin/sh', type: 'file', mode: 0o755, size: 2 }, body: new Uint8Array([0x23, 0x21]) },
      { header: { name: 'etc/', type: 'dir', mode: 0o755 } },
      { header: { name: 'etc/motd', type: 'file', mode: 0o644, size: motd.length }, body: motd },
      { header: { name: 'usr/', type: 'dir', mode: 0o755 } },
    ]),
  );

  const base = await unpackLayer(layerBytes);
  const fs = new OverlayFs([base.root]);
  fs.writeFile('/etc/motd', new TextEncoder().encode('hi\n'));
  let code = '';
  try {
    fs.rename('/bin', '/usr/bin');
  } catch (e) {
    code = (e as FsError).code;
  }
  expect(code).toBe('EXDEV');
  fs.unlink('/bin/sh');

  const layer = await diffToLayer(fs.upper);
  const again = await diffToLayer(fs.upper);
  expect(layer.diffId).toBe(again.diffId);
  const upperTree = await unpackLayer(layer.bytes, { expectedDiffId: layer.diffId });
  expect(new TextDecoder().decode(upperTree.root.entries!.get('etc')!.entries!.get('motd')!.content())).toBe(
    'hi\n',
  );
  expect(upperTree.root.entries!.get('bin')!.entries!.get('sh')!.kind).toBe('whiteout');
  // The lower layer is untouched.
  expect(new TextDecoder().decode(base.root.entries!.get('etc')!.entries!.get('motd')!.content())).toBe(
    'welcome\n',
  );
});
