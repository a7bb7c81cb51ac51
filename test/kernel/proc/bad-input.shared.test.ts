/**
 * Bad programs and bad arguments: each is a clean error or errno, never an exception in
 * the host (Node and Chromium).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError, ResourceLimitError } from '../../../src/errors.js';
import { extensionImports } from '../../../src/kernel/proc/extension.js';
import type { Kernel } from '../../../src/kernel/proc/kernel.js';
import { Process } from '../../../src/kernel/proc/process.js';
import { WouldBlock } from '../../../src/kernel/wasi/blocking.js';
import { WasiHost } from '../../../src/kernel/wasi/host.js';
import { MemFs } from '../../../src/vfs/memfs.js';
import { collector, newKernel, probeBytes, probeRoot } from './helpers.js';

let kernel: Kernel;
beforeEach(() => {
  kernel = newKernel();
});
afterEach(() => kernel.shutdown());

/** A module: one type, imports, a memory, an exported _start. Hand-assembled. */
function moduleWith(opts: { importName?: [string, string]; memoryPages?: number }): Uint8Array {
  const enc = (s: string) => [s.length, ...new TextEncoder().encode(s)];
  const section = (id: number, body: number[]) => [id, ...leb(body.length), ...body];
  const body: number[] = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
  body.push(...section(1, [1, 0x60, 0, 0])); // type 0: [] -> []
  const imports = opts.importName ? [1, ...enc(opts.importName[0]), ...enc(opts.importName[1]), 0, 0] : [0];
  body.push(...section(2, imports));
  body.push(...section(3, [1, 0])); // one function of type 0
  body.push(...section(5, [1, 0, ...leb(opts.memoryPages ?? 1)]));
  const fnIndex = opts.importName ? 1 : 0;
  body.push(...section(7, [2, ...enc('_start'), 0, fnIndex, ...enc('memory'), 2, 0]));
  body.push(...section(10, [1, 2, 0, 0x0b]));
  return new Uint8Array(body);
}

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

describe('bad programs', () => {
  it('rejects a file that is not WebAssembly, naming the problem', async () => {
    const p = kernel.spawn({
      program: new TextEncoder().encode('\x7fELF....'),
      argv: ['x'],
      root: new MemFs(),
    });
    await expect(p).rejects.toThrow(InvalidArgumentError);
    await expect(p).rejects.toThrow(/not a WebAssembly module/);
  });

  it('rejects a module importing an unknown function, naming it', async () => {
    const p = kernel.spawn({
      program: moduleWith({ importName: ['env', 'frobnicate'] }),
      argv: ['x'],
      root: new MemFs(),
    });
    await expect(p).rejects.toThrow(/unknown import: env::frobnicate/);
  });

  it('runs a minimal valid module (the fixture builder is right)', async () => {
    const proc = await kernel.spawn({ program: moduleWith({}), argv: ['x'], root: new MemFs() });
    expect(await proc.exited).toEqual({ code: 0 });
  });

  it('rejects a module whose initial memory exceeds the limits', async () => {
    await expect(
      kernel.spawn({ program: moduleWith({ memoryPages: 20000 }), argv: ['big'], root: new MemFs() }),
    ).rejects.toThrow(/exceeds berth's limit/);
    const cg = kernel.cgroups.mkdir('small');
    cg.memoryMax = 1 << 20;
    await expect(
      kernel.spawn({
        program: moduleWith({ memoryPages: 32 }),
        argv: ['big'],
        root: new MemFs(),
        cgroup: cg,
      }),
    ).rejects.toThrow(ResourceLimitError);
  });

  it('gives EBADF for writes to closed fds', async () => {
    const out = collector();
    const proc = await kernel.spawn({
      program: await probeBytes(),
      argv: ['probe', 'badfd'],
      root: await probeRoot(),
      fds: [undefined, out.entry, out.entry],
    });
    expect(await proc.exited).toEqual({ code: 0 });
    expect(out.text()).toBe('write 42: -1 EBADF\nwrite closed 2: -1 EBADF\n');
  });
});

describe('process extension with random arguments', () => {
  it('answers every call with a number (errno or value), never an exception', () => {
    const root = new MemFs();
    const proc = new Process(['fuzz'], {}, '/', 0, 0, kernel.initialNs, root, null, kernel.cgroups);
    proc.nspids = [999];
    proc.wasi = new WasiHost({ kernelMode: true });
    proc.wasi.bindMemory(new WebAssembly.Memory({ initial: 1 }));
    const table = extensionImports(kernel, proc);
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed;
    };
    const pick = () => {
      const r = rand() % 6;
      return r === 0
        ? 0
        : r === 1
          ? -1
          : r === 2
            ? 65530
            : r === 3
              ? 0x7fffffff
              : r === 4
                ? rand() % 70000
                : rand() | 0;
    };
    let calls = 0;
    for (const [mod, fns] of Object.entries(table))
      for (const [name, fn] of Object.entries(fns))
        for (let i = 0; i < 300; i++) {
          const args = Array.from({ length: 12 }, pick);
          try {
            const r = (fn as (...a: number[]) => unknown)(...args);
            expect(typeof r, `${mod}.${name}`).toBe('number');
          } catch (e) {
            // Blocking is control flow (a wait with no child to wait for blocks only if one exists).
            expect(e, `${mod}.${name}(${args.join(', ')})`).toBeInstanceOf(WouldBlock);
          }
          calls++;
        }
    expect(calls).toBeGreaterThan(5000);
  });
});
