/** Shared helpers for kernel process tests (no node: imports: used in Chromium too). */
import probeUrl from '../../../wasm/build/probe.wasm?url';
import { platform } from '../../../src/platform.js';
import { Kernel } from '../../../src/kernel/proc/kernel.js';
import type { StdioEntry } from '../../../src/kernel/wasi/host.js';
import { MemFs } from '../../../src/vfs/memfs.js';
import { fixtureBytes } from '../../support/fixture.js';

export const probeBytes = (): Promise<Uint8Array> => fixtureBytes(probeUrl);

/** A MemFs with /bin/probe (mode 755), /etc/hostname and /tmp. */
export async function probeRoot(): Promise<MemFs> {
  const fs = new MemFs();
  fs.mkdir('/bin');
  fs.mkdir('/etc');
  fs.mkdir('/tmp', 0o1777);
  fs.writeFile('/bin/probe', await probeBytes(), { mode: 0o755 });
  fs.writeFile('/etc/hostname', 'berth\n');
  return fs;
}

export function newKernel(): Kernel {
  return new Kernel({ workers: platform().workers() });
}

/** An output fd collecting what is written. */
export function collector(): { entry: StdioEntry; text: () => string } {
  const chunks: Uint8Array[] = [];
  return {
    entry: { type: 'stdio', write: (b) => void chunks.push(b.slice()) },
    text: () => new TextDecoder().decode(concat(chunks)),
  };
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** An input fd with fixed content (EOF after it). */
export function input(text: string): StdioEntry {
  let rest = new TextEncoder().encode(text);
  return {
    type: 'stdio',
    read: (max) => {
      const chunk = rest.subarray(0, max);
      rest = rest.subarray(chunk.length);
      return chunk;
    },
  };
}
