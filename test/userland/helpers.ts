/** Running berth's sh on the kernel (no node: imports: used in Chromium too). */
import shUrl from '../../wasm/build/sh.wasm?url';
import { Kernel } from '../../src/kernel/proc/kernel.js';
import { platform } from '../../src/platform.js';
import { MemFs } from '../../src/vfs/memfs.js';
import { probeBytes } from '../kernel/proc/helpers.js';
import { fixtureBytes } from '../support/fixture.js';

export const shBytes = (): Promise<Uint8Array> => fixtureBytes(shUrl);

export async function userlandRoot(): Promise<MemFs> {
  const fs = new MemFs();
  for (const d of ['/bin', '/tmp', '/etc']) fs.mkdir(d);
  fs.writeFile('/bin/sh', await shBytes(), { mode: 0o755 });
  fs.writeFile('/bin/probe', await probeBytes(), { mode: 0o755 });
  return fs;
}

export interface ShResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** `sh -c script` on the kernel, with PATH=/bin. */
export async function runSh(kernel: Kernel, root: MemFs, script: string, stdin = ''): Promise<ShResult> {
  let stdout = '';
  let stderr = '';
  let rest = new TextEncoder().encode(stdin);
  const program = await shBytes();
  const proc = await kernel.spawn({
    program,
    argv: ['sh', '-c', script],
    env: { PATH: '/bin', HOME: '/' },
    root,
    fds: [
      {
        type: 'stdio',
        read: (max) => {
          const c = rest.subarray(0, max);
          rest = rest.subarray(c.length);
          return c;
        },
      },
      { type: 'stdio', write: (b) => void (stdout += new TextDecoder().decode(b.slice())) },
      { type: 'stdio', write: (b) => void (stderr += new TextDecoder().decode(b.slice())) },
    ],
  });
  const status = await proc.exited;
  return { stdout, stderr, code: status.signal !== undefined ? 128 + status.signal : status.code };
}

export function newKernel(): Kernel {
  return new Kernel({ workers: platform().workers() });
}
