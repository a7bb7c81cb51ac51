import { lstatSync, mkdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import { readTar } from '../../src/tar/reader.js';
import type { TarHeader, TarWriteEntry } from '../../src/tar/types.js';
import { writeTar } from '../../src/tar/writer.js';
import { describeWith } from '../support/requirements.js';
import { all, chunked, collect, rejection, sameBytes, sh, tarOf, tempDir, text } from '../layers/helpers.js';

const LONG = `deep/${'x'.repeat(110)}/${'y'.repeat(110)}/${'z'.repeat(60)}`; // > 255
const MID = `mid/${'m'.repeat(90)}/${'n'.repeat(40)}`; // fits ustar prefix + name
const BIG = new Uint8Array(100_000).map((_, i) => (i * 31) & 0xff);

function sample(): TarWriteEntry[] {
  const t = 1_600_000_000_000;
  return [
    { header: { name: 'dir/', type: 'dir', mode: 0o1777, mtimeMs: t } },
    {
      header: {
        name: 'dir/file',
        type: 'file',
        mode: 0o4755,
        uid: 1000,
        gid: 1001,
        uname: 'u',
        gname: 'g',
        mtimeMs: t,
      },
      body: text('content'),
    },
    { header: { name: 'dir/big', type: 'file', mtimeMs: t }, body: BIG },
    { header: { name: 'dir/link', type: 'symlink', linkname: 'file', mode: 0o777, mtimeMs: t } },
    { header: { name: 'dir/hard', type: 'hardlink', linkname: 'dir/file', mtimeMs: t } },
    { header: { name: 'dir/fifo', type: 'fifo', mode: 0o600, mtimeMs: t } },
    { header: { name: MID, type: 'file', mtimeMs: t }, body: text('mid') },
    { header: { name: LONG, type: 'file', mtimeMs: t }, body: text('long') },
    { header: { name: 'dir/longlink', type: 'symlink', linkname: '/'.padEnd(180, 'q'), mtimeMs: t } },
    { header: { name: 'dir/ünïcödé', type: 'file', uname: 'jösé', mtimeMs: t }, body: text('u') },
    {
      header: { name: 'dir/biguid', type: 'file', uid: 3_000_000, gid: 4_000_000, mtimeMs: t },
      body: text(''),
    },
    { header: { name: 'dir/old', type: 'file', mtimeMs: -315_619_200_000 }, body: text('old') },
    {
      header: {
        name: 'dir/attrs',
        type: 'file',
        mtimeMs: t,
        xattrs: new Map([
          ['user.text', text('value')],
          ['user.bin', Uint8Array.from([0, 0xff, 0x0a, 0x3d, 0x20])],
        ]),
      },
      body: text('a'),
    },
  ];
}

function full(e: TarWriteEntry): TarHeader {
  const h = e.header;
  const body = e.body instanceof Uint8Array ? e.body : new Uint8Array(0);
  return {
    name: h.name,
    type: h.type,
    mode: h.mode ?? (h.type === 'dir' ? 0o755 : 0o644),
    uid: h.uid ?? 0,
    gid: h.gid ?? 0,
    uname: h.uname ?? '',
    gname: h.gname ?? '',
    size: h.type === 'file' ? body.length : 0,
    mtimeMs: h.mtimeMs ?? 0,
    linkname: h.linkname ?? '',
    devmajor: h.devmajor ?? 0,
    devminor: h.devminor ?? 0,
    xattrs: h.xattrs ?? new Map(),
  };
}

describe('writeTar', () => {
  it('is read back identically', async () => {
    const entries = sample();
    const bytes = await tarOf(entries);
    expect(bytes.length % 512).toBe(0);
    const back = [];
    for await (const e of readTar(chunked(bytes, 1000))) back.push(e);
    expect(back.map((e) => e.header)).toEqual(entries.map(full));
    for (let i = 0; i < entries.length; i++) {
      const body = entries[i].body;
      expect(sameBytes(back[i].body, body instanceof Uint8Array ? body : new Uint8Array(0))).toBe(true);
    }
  });

  it('is deterministic', async () => {
    const a = await tarOf(sample());
    const b = await tarOf(sample());
    expect(Buffer.compare(a, b)).toBe(0);
  });

  it('writes plain ustar when nothing needs PAX', async () => {
    const bytes = await tarOf([{ header: { name: 'a', type: 'file' }, body: text('x') }]);
    expect(bytes.length).toBe(512 * 4);
    expect(new TextDecoder().decode(bytes.subarray(257, 265))).toBe('ustar\u000000');
  });

  it('streams bodies with a given size', async () => {
    async function* body() {
      yield text('hello ');
      yield text('world');
    }
    const bytes = await collect(writeTar([{ header: { name: 'f', type: 'file', size: 11 }, body: body() }]));
    const [e] = await all(readTar(chunked(bytes, 512)));
    expect(new TextDecoder().decode(e.body)).toBe('hello world');
  });

  it('rejects a body that disagrees with its size', async () => {
    async function* body() {
      yield text('hello');
    }
    const err = await rejection(
      collect(writeTar([{ header: { name: 'f', type: 'file', size: 9 }, body: body() }])),
    );
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(err.message).toMatch(/'f'.*shorter/);
    const err2 = await rejection(
      tarOf([{ header: { name: 'g', type: 'file', size: 2 }, body: text('abc') }]),
    );
    expect(err2.message).toMatch(/'g'/);
  });

  it('rejects a body for a non-file and a missing streamed size', async () => {
    expect(
      (await rejection(tarOf([{ header: { name: 'd', type: 'dir' }, body: text('x') }]))).message,
    ).toMatch(/'d'/);
    async function* body() {
      yield text('x');
    }
    expect(
      (await rejection(collect(writeTar([{ header: { name: 's', type: 'file' }, body: body() }])))).message,
    ).toMatch(/needs header.size/);
  });
});

describeWith([{ tool: 'tar' }, { tool: 'getfattr' }], 'writeTar output and GNU tar', () => {
  const root = tempDir('tar-write');
  const file = join(root, 'out.tar');

  it('GNU tar lists the same members', async () => {
    writeFileSync(file, await tarOf(sample()));
    const listing = sh(`tar -tf ${file}`).trimEnd().split('\n');
    expect(listing).toEqual(sample().map((e) => e.header.name));
    const verbose = sh(`tar --numeric-owner -tvf ${file}`);
    expect(verbose).toMatch(/^drwxrwxrwt 0\/0 .* dir\/$/m);
    expect(verbose).toMatch(/^-rwsr-xr-x 1000\/1001 +7 .* dir\/file$/m);
    expect(verbose).toMatch(/^prw------- 0\/0 .* dir\/fifo$/m);
    expect(verbose).toMatch(/^-rw-r--r-- 3000000\/4000000 .* dir\/biguid$/m);
    expect(verbose).toMatch(/ 1960-01-01 00:00 dir\/old$/m);
  });

  it('GNU tar extracts it faithfully', async () => {
    const out = join(root, 'x');
    mkdirSync(out);
    sh(`TZ=UTC tar --xattrs --xattrs-include='user.*' --numeric-owner -xpf ${file} -C ${out}`);
    const p = (rel: string) => join(out, rel);
    expect(readFileSync(p('dir/file'), 'utf8')).toBe('content');
    expect(lstatSync(p('dir/file')).mode & 0o7777).toBe(0o4755);
    expect(lstatSync(p('dir/file')).ino).toBe(lstatSync(p('dir/hard')).ino);
    expect(lstatSync(p('dir')).mode & 0o7777).toBe(0o1777);
    expect(readlinkSync(p('dir/link'))).toBe('file');
    expect(readlinkSync(p('dir/longlink'))).toBe('/'.padEnd(180, 'q'));
    expect(readFileSync(p(LONG), 'utf8')).toBe('long');
    expect(readFileSync(p(MID), 'utf8')).toBe('mid');
    expect(readFileSync(p('dir/ünïcödé'), 'utf8')).toBe('u');
    expect(sameBytes(readFileSync(p('dir/big')), BIG)).toBe(true);
    expect(lstatSync(p('dir/biguid')).uid).toBe(3_000_000);
    expect(lstatSync(p('dir/old')).mtimeMs).toBe(-315_619_200_000);
    expect(sh(`getfattr --only-values -n user.text ${p('dir/attrs')}`)).toBe('value');
    expect(sh(`getfattr -e hex -n user.bin ${p('dir/attrs')}`)).toMatch(/user.bin=0x00ff0a3d20/);
  });
});
