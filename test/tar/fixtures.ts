/** Builds a directory full of awkward tar cases for GNU tar to archive. */
import { chmodSync, chownSync, mkdirSync, symlinkSync, linkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sh } from '../layers/helpers.js';

export const MTIME = 1577934245; // 2020-01-02T03:04:05Z
export const LONG_PATH = `long/${'a'.repeat(120)}/${'b'.repeat(120)}/${'c'.repeat(40)}.txt`; // > 255
export const MID_PATH = `mid/${'m'.repeat(80)}/${'n'.repeat(60)}.txt`; // > 100, splits for ustar
export const LONG_TARGET = `/${'t'.repeat(150)}`;

export interface FixtureOptions {
  /** Include names and link targets that ustar cannot hold. */
  long: boolean;
  xattrs: boolean;
}

/** Creates the tree under `dir` (which must exist and be empty). */
export function makeFixture(dir: string, opts: FixtureOptions): void {
  const p = (rel: string) => join(dir, rel);
  writeFileSync(p('hello.txt'), 'hello world\n');
  chmodSync(p('hello.txt'), 0o640);
  chownSync(p('hello.txt'), 1234, 5678);
  mkdirSync(p('bin'));
  writeFileSync(p('bin/suid'), 'x');
  chmodSync(p('bin/suid'), 0o4755);
  mkdirSync(p('sgid'));
  chmodSync(p('sgid'), 0o2775);
  mkdirSync(p('tmp'));
  chmodSync(p('tmp'), 0o1777);
  mkdirSync(p(MID_PATH.slice(0, MID_PATH.lastIndexOf('/'))), { recursive: true });
  writeFileSync(p(MID_PATH), 'mid');
  symlinkSync('hello.txt', p('link'));
  linkSync(p('hello.txt'), p('zhard'));
  sh(`mkfifo ${p('fifo')}`);
  const big = new Uint8Array(300_000);
  for (let i = 0; i < big.length; i++) big[i] = (i * 7919) & 0xff;
  writeFileSync(p('big.bin'), big);
  if (opts.long) {
    mkdirSync(p(LONG_PATH.slice(0, LONG_PATH.lastIndexOf('/'))), { recursive: true });
    writeFileSync(p(LONG_PATH), 'long');
    symlinkSync(LONG_TARGET, p('longlink'));
  }
  if (opts.xattrs) {
    writeFileSync(p('xattr.txt'), 'attrs');
    sh(
      `setfattr -n user.test -v value ${p('xattr.txt')} && setfattr -n user.bin -v 0x00ff0a3d ${p('xattr.txt')}`,
    );
  }
  sh(`find . -exec touch -h -d @${MTIME} {} +`, dir);
  utimesSync(dir, MTIME, MTIME);
}

export function bigContent(): Uint8Array {
  const big = new Uint8Array(300_000);
  for (let i = 0; i < big.length; i++) big[i] = (i * 7919) & 0xff;
  return big;
}
