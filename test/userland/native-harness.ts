/**
 * Running corpus snippets natively (Node only): in a fresh directory holding the
 * corpus's tree, by a given shell with PATH set to a directory of applet links — links
 * to Debian's busybox (toolbox-busybox.test.ts) or to berth's native build (native.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appletNames, SNIPPET_ENV, type Corpus } from './toolbox-harness.js';
import type { ShResult } from './helpers.js';

export const BUSYBOX = '/bin/busybox';

/** DIR made, holding a link named after every applet to `toolbox` and one named sh to `sh`. */
export function appletLinks(dir: string, toolbox: string, sh = toolbox): string {
  mkdirSync(dir);
  for (const name of appletNames()) symlinkSync(toolbox, join(dir, name));
  symlinkSync(sh, join(dir, 'sh'));
  return dir;
}

/**
 * Snippet `index` of `corpus` run by `shell … -c SNIPPET` in a new directory under `base`
 * (`argv0`: the name the shell is called by, for $0).
 */
export function runNative(
  corpus: Corpus,
  index: number,
  shell: string[],
  path: string,
  base: string,
  argv0?: string,
): ShResult {
  const dir = mkdtempSync(join(base, `${corpus.name}-${index}-`));
  for (const [rel, content] of Object.entries(corpus.tree)) {
    const p = join(dir, rel);
    if (content === null) mkdirSync(p);
    else if (typeof content === 'string') writeFileSync(p, content);
    else symlinkSync(content.link, p);
  }
  const r = spawnSync(shell[0] ?? BUSYBOX, [...shell.slice(1), '-c', corpus.snippets[index] ?? ''], {
    cwd: dir,
    env: { ...SNIPPET_ENV, PATH: path },
    input: '',
    timeout: 20_000,
    ...(argv0 === undefined ? {} : { argv0 }),
  });
  return { stdout: r.stdout.toString(), stderr: r.stderr.toString(), code: r.status ?? 128 + 9 };
}
