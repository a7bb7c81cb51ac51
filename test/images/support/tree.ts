/**
 * A directory tree as comparable lines: type, mode (with setuid/setgid/sticky), owner,
 * size and content hash of files, symlink targets, and for each non-directory how many
 * names it has within the tree (hard links).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync, type Stats } from 'node:fs';
import { join } from 'node:path';

function typeOf(st: Stats): string {
  if (st.isDirectory()) return 'd';
  if (st.isFile()) return 'f';
  if (st.isSymbolicLink()) return 'l';
  if (st.isFIFO()) return 'p';
  if (st.isCharacterDevice()) return 'c';
  if (st.isBlockDevice()) return 'b';
  return 's';
}

export function describeTree(root: string): string[] {
  const entries: { path: string; st: Stats }[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const p = rel ? `${rel}/${name}` : name;
      const st = lstatSync(join(root, p));
      entries.push({ path: p, st });
      if (st.isDirectory()) walk(p);
    }
  };
  walk('');
  const links = new Map<string, number>();
  for (const { st } of entries)
    if (!st.isDirectory()) links.set(`${st.dev}:${st.ino}`, (links.get(`${st.dev}:${st.ino}`) ?? 0) + 1);
  return entries.map(({ path, st }) => {
    const t = typeOf(st);
    const mode = (st.mode & 0o7777).toString(8);
    let detail = '';
    if (t === 'f')
      detail = ` ${st.size} ${createHash('sha256')
        .update(readFileSync(join(root, path)))
        .digest('hex')
        .slice(0, 16)}`;
    if (t === 'l') detail = ` -> ${readlinkSync(join(root, path))}`;
    if (t === 'c' || t === 'b') detail = ` ${st.rdev}`;
    const nlink = t === 'd' ? '' : ` links=${links.get(`${st.dev}:${st.ino}`)}`;
    return `${t} ${mode} ${st.uid}:${st.gid} ${path}${detail}${nlink}`;
  });
}

/** Extract a tar as root with GNU tar, keeping owners, modes and xattrs. */
export function extractTar(tarFile: string, into: string): void {
  execFileSync('tar', [
    '-x',
    '--same-owner',
    '--same-permissions',
    '--xattrs',
    '--numeric-owner',
    '-f',
    tarFile,
    '-C',
    into,
  ]);
}
