import { describe, expect, it } from 'vitest';
import { BLOCK, sealChecksum, writeOctal } from '../../src/tar/fields.js';
import { encodePax, parsePax } from '../../src/tar/pax.js';
import { readTar } from '../../src/tar/reader.js';
import { all, chunked, tarOf, text } from '../layers/helpers.js';

/** A hand-made PAX header block ('x' or 'g') with its padded body. */
function paxBlock(flag: 'x' | 'g', records: [string, string | Uint8Array][]): Uint8Array {
  const body = encodePax(records.map(([k, v]) => [k, typeof v === 'string' ? text(v) : v]));
  const out = new Uint8Array(BLOCK + Math.ceil(body.length / BLOCK) * BLOCK);
  out.set(text('pax_header'), 0);
  writeOctal(out, 'mode', 0o644);
  writeOctal(out, 'size', body.length);
  out[156] = flag.charCodeAt(0);
  out.set(text('ustar\u000000'), 257);
  sealChecksum(out.subarray(0, BLOCK));
  out.set(body, BLOCK);
  return out;
}

describe('PAX records', () => {
  it('encodes lengths that count themselves', () => {
    for (const v of ['', 'x', 'y'.repeat(90), 'z'.repeat(994), 'w'.repeat(9994)]) {
      const rec = encodePax([['path', text(v)]]);
      expect(Number(new TextDecoder().decode(rec).split(' ')[0])).toBe(rec.length);
      expect(new TextDecoder().decode(parsePax(rec, 'e').get('path'))).toBe(v);
    }
  });

  it('keeps binary values intact, including newlines and "="', () => {
    const v = Uint8Array.from([0, 10, 61, 255, 10]);
    expect(parsePax(encodePax([['SCHILY.xattr.user.a', v]]), 'e').get('SCHILY.xattr.user.a')).toEqual(v);
  });

  it('applies global records to later entries, overridden or removed per entry', async () => {
    const files = await tarOf([
      { header: { name: 'a', type: 'file', uname: 'own' }, body: text('1') },
      { header: { name: 'b', type: 'file', uname: 'own' }, body: text('2') },
      { header: { name: 'c', type: 'file', uname: 'own' }, body: text('3') },
    ]);
    const g = paxBlock('g', [
      ['uname', 'global'],
      ['mtime', '1234.5678'],
    ]);
    const xb = paxBlock('x', [
      ['uname', ''],
      ['mtime', '-10.25'],
    ]);
    const xc = paxBlock('x', [
      ['LIBARCHIVE.xattr.user.a%3Db', btoa('\u0000\u00ffhi')],
      ['path', 'renamed/ç'],
    ]);
    const parts = [g, files.subarray(0, 1024), xb, files.subarray(1024, 2048), xc, files.subarray(2048)];
    const bytes = Buffer.concat(parts);
    const [a, b, c] = await all(readTar(chunked(bytes, 100)));
    expect(a.header).toMatchObject({ name: 'a', uname: 'global', mtimeMs: 1234567.8 });
    expect(b.header).toMatchObject({ name: 'b', uname: 'own', mtimeMs: -10250 });
    expect(c.header).toMatchObject({ name: 'renamed/ç', uname: 'global' });
    expect(c.header.xattrs.get('user.a=b')).toEqual(Uint8Array.from([0, 255, 104, 105]));
  });

  it('rejects sparse files', async () => {
    const file = await tarOf([{ header: { name: 's', type: 'file' }, body: text('1') }]);
    const bytes = Buffer.concat([paxBlock('x', [['GNU.sparse.major', '1']]), file]);
    await expect(all(readTar(chunked(bytes, 512)))).rejects.toThrow(
      /tar entry 's': sparse files are not supported/,
    );
  });
});
