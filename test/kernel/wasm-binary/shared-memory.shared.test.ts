import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../src/errors.js';
import { inspectModule, withImportedSharedMemory } from '../../../src/kernel/wasm-binary/index.js';
import { helloModule, memoryHogModule, moduleBuilder, trapModule } from '../../support/wasm-builder.js';

const opts = { module: 'berth', name: 'memory', defaultMaxPages: 256 };

function instantiate(bytes: Uint8Array, memory: WebAssembly.Memory, extra: WebAssembly.Imports = {}) {
  const module = new WebAssembly.Module(bytes as BufferSource);
  return new WebAssembly.Instance(module, { ...extra, berth: { memory } });
}

describe('withImportedSharedMemory', () => {
  it('moves a defined memory into a new import section', () => {
    const m = moduleBuilder();
    const t = m.type([], ['i32']);
    m.memory({ min: 2, max: 8 });
    m.export('memory', 'memory', 0);
    m.export('load', 'function', m.func(t, [0x41, 0x00, 0x28, 0x02, 0x00])); // i32.load [0]
    m.data(0, new Uint8Array([42, 0, 0, 0]));
    m.data(70000, 'far');
    const { bytes, limits } = withImportedSharedMemory(m.build(), opts);
    expect(limits).toEqual({ min: 2, max: 8, shared: true, memory64: false });
    expect(WebAssembly.validate(bytes as BufferSource)).toBe(true);
    const info = inspectModule(bytes);
    expect(info.memories).toEqual([]);
    expect(info.imports).toEqual([{ module: 'berth', name: 'memory', kind: 'memory', memory: limits }]);
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 8, shared: true });
    const instance = instantiate(bytes, memory);
    expect(instance.exports.memory).toBe(memory);
    expect((instance.exports.load as () => number)()).toBe(42);
    expect(new TextDecoder().decode(new Uint8Array(memory.buffer).slice(70000, 70003))).toBe('far');
  });

  it('appends to an existing import section and keeps function indices', () => {
    const bytes0 = helloModule('hello\n');
    const { bytes, limits } = withImportedSharedMemory(bytes0, { ...opts, defaultMaxPages: 100_000 });
    expect(limits).toEqual({ min: 1, max: 65536, shared: true, memory64: false });
    expect(WebAssembly.validate(bytes as BufferSource)).toBe(true);
    expect(inspectModule(bytes).imports.map((i) => `${i.module}.${i.name}`)).toEqual([
      'wasi_snapshot_preview1.fd_write',
      'berth.memory',
    ]);
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true });
    let written = '';
    const instance = instantiate(bytes, memory, {
      wasi_snapshot_preview1: {
        fd_write: (fd: number, iovs: number, _n: number, nwritten: number) => {
          const view = new DataView(memory.buffer);
          const buf = view.getUint32(iovs, true);
          const len = view.getUint32(iovs + 4, true);
          written += `${fd}:` + new TextDecoder().decode(new Uint8Array(memory.buffer).slice(buf, buf + len));
          view.setUint32(nwritten, len, true);
          return 0;
        },
      },
    });
    (instance.exports._start as () => void)();
    expect(written).toBe('1:hello\n');
  });

  it('rewrites an imported memory to shared under the new name', () => {
    const m = moduleBuilder();
    const t = m.type([], []);
    m.importFunction('env', 'f', t);
    m.importMemory('env', 'mem', { min: 3 });
    m.export('memory', 'memory', 0);
    m.data(0, 'x');
    const { bytes, limits } = withImportedSharedMemory(m.build(), opts);
    expect(limits).toEqual({ min: 3, max: 256, shared: true, memory64: false });
    expect(inspectModule(bytes).imports).toEqual([
      { module: 'env', name: 'f', kind: 'function', typeIndex: 0 },
      { module: 'berth', name: 'memory', kind: 'memory', memory: limits },
    ]);
    const memory = new WebAssembly.Memory({ initial: 3, maximum: 256, shared: true });
    const instance = instantiate(bytes, memory, { env: { f: () => {} } });
    expect(instance.exports.memory).toBe(memory);
    expect(new Uint8Array(memory.buffer)[0]).toBe('x'.charCodeAt(0));
  });

  it('works on the example modules', () => {
    for (const b of [trapModule(), memoryHogModule(4)]) {
      const { bytes } = withImportedSharedMemory(b, opts);
      expect(WebAssembly.validate(bytes as BufferSource)).toBe(true);
    }
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 256, shared: true });
    const trap = instantiate(withImportedSharedMemory(trapModule(), opts).bytes, memory);
    expect(() => (trap.exports._start as () => void)()).toThrow(WebAssembly.RuntimeError);
  });

  it('returns modules without memory unchanged', () => {
    const m = moduleBuilder();
    m.func(m.type([], []), []);
    const input = m.build();
    const out = withImportedSharedMemory(input, opts);
    expect(out.bytes).toBe(input);
    expect(out.limits).toBeUndefined();
  });

  it('rejects two memories and memory64', () => {
    const m = moduleBuilder();
    m.importMemory('env', 'a', { min: 1 });
    m.memory({ min: 1 });
    expect(() => withImportedSharedMemory(m.build(), opts)).toThrow(InvalidArgumentError);
    expect(() => withImportedSharedMemory(m.build(), opts)).toThrow('the module has 2 memories');
    // memory section with a memory64 limit (flags 0x04)
    const mem64 = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 3, 1, 0x04, 1]);
    expect(() => withImportedSharedMemory(mem64, opts)).toThrow('memory64');
  });
});
