/**
 * Running berth's toolbox on the kernel (no node: imports: used in Chromium too), and the
 * corpora of toolbox snippets that are compared with busybox (see corpus/index.ts).
 */
import toolboxUrl from '../../wasm/build/toolbox.wasm?url';
import appletsDef from '../../wasm/toolbox/applets.def?raw';
import { createContainer } from '../../src/kernel/container.js';
import type { Kernel } from '../../src/kernel/proc/kernel.js';
import { MemFs } from '../../src/vfs/memfs.js';
import { fixtureBytes } from '../support/fixture.js';
import { shBytes, type ShResult } from './helpers.js';

export const toolboxBytes = (): Promise<Uint8Array> => fixtureBytes(toolboxUrl);

/** Every applet name, from wasm/toolbox/applets.def. */
export const appletNames = (): string[] =>
  [...appletsDef.matchAll(/^(?:APPLET|ALIAS)\("([^"]+)"/gm)].map((m) => m[1] ?? '');

export const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n';
export const GROUP = 'root:x:0:\nnogroup:x:65534:\n';

/** A root with /bin/sh, /bin/toolbox and a link per applet, /etc/passwd and group, /tmp and /root. */
export async function toolboxRoot(): Promise<MemFs> {
  const fs = new MemFs();
  for (const d of ['/bin', '/etc', '/root']) fs.mkdir(d);
  fs.mkdir('/tmp', 0o1777);
  fs.chmod('/tmp', 0o1777);
  fs.writeFile('/bin/sh', await shBytes(), { mode: 0o755 });
  fs.writeFile('/bin/toolbox', await toolboxBytes(), { mode: 0o755 });
  for (const name of appletNames()) fs.symlink('toolbox', `/bin/${name}`);
  fs.writeFile('/etc/passwd', PASSWD);
  fs.writeFile('/etc/group', GROUP);
  return fs;
}

/**
 * A corpus: snippets run with `sh -c` in a fresh copy of `tree` (paths relative to the
 * snippet's working directory; a value null is a directory, {link} a symlink). Snippets
 * use relative paths and fixed times (touch -d) so that outputs do not depend on where
 * or when they run.
 */
export interface Corpus {
  name: string;
  tree: Record<string, string | null | { link: string }>;
  snippets: string[];
}

/** The environment snippets run with, natively and on the kernel. */
export const SNIPPET_ENV = { PATH: '/bin', HOME: '/root', TZ: 'UTC', LC_ALL: 'C' };

let serial = 0;

/** Run snippet `index` of `corpus` on the kernel in a fresh directory under /tmp. */
export async function runSnippetOnKernel(
  kernel: Kernel,
  root: MemFs,
  corpus: Corpus,
  index: number,
): Promise<ShResult> {
  const dir = `/tmp/${corpus.name}-${index}-${serial++}`;
  root.mkdir(dir);
  for (const [rel, content] of Object.entries(corpus.tree)) {
    const path = `${dir}/${rel}`;
    if (content === null) root.mkdir(path);
    else if (typeof content === 'string') root.writeFile(path, content);
    else root.symlink(content.link, path);
  }
  let stdout = '';
  let stderr = '';
  const dec = (b: Uint8Array): string => new TextDecoder().decode(b.slice());
  // In a container, as in the base image: /dev/null, /proc and the rest are there.
  const box = createContainer(kernel, { rootfs: root });
  const proc = await box.start({
    program: await shBytes(),
    argv: ['sh', '-c', corpus.snippets[index] ?? ''],
    env: SNIPPET_ENV,
    cwd: dir,
    fds: [
      { type: 'stdio', read: () => new Uint8Array(0) },
      { type: 'stdio', write: (b) => void (stdout += dec(b)) },
      { type: 'stdio', write: (b) => void (stderr += dec(b)) },
    ],
  });
  const status = await proc.exited;
  await box.remove();
  return { stdout, stderr, code: status.signal !== undefined ? 128 + status.signal : status.code };
}

/** The recorded busybox results of a corpus: `${name}.expected.json` beside it. */
export type Expected = ShResult[];
