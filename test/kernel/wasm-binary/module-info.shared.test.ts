import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../src/errors.js';
import { inspectModule } from '../../../src/kernel/wasm-binary/index.js';
import { helloModule, infiniteLoopModule, moduleBuilder } from '../../support/wasm-builder.js';

describe('inspectModule', () => {
  it('reads imports, exports, types, memories, start and custom sections', () => {
    const m = moduleBuilder();
    const t = m.type(['i32', 'i64'], ['f64']);
    const v = m.type([], []);
    m.importFunction('env', 'f', t);
    m.memory({ min: 2, max: 10 });
    const g = m.func(v, []);
    m.export('memory', 'memory', 0);
    m.export('g', 'function', g);
    m.start(g);
    m.custom('name');
    m.custom('producers');
    const bytes = m.build();
    expect(WebAssembly.validate(bytes)).toBe(true);
    const info = inspectModule(bytes);
    expect(info.types).toEqual([
      { params: ['i32', 'i64'], results: ['f64'] },
      { params: [], results: [] },
    ]);
    expect(info.imports).toEqual([{ module: 'env', name: 'f', kind: 'function', typeIndex: 0 }]);
    expect(info.functionImportSignatures).toEqual([
      { module: 'env', name: 'f', typeIndex: 0, type: { params: ['i32', 'i64'], results: ['f64'] } },
    ]);
    expect(info.memories).toEqual([{ min: 2, max: 10, shared: false, memory64: false }]);
    expect(info.exports).toEqual([
      { name: 'memory', kind: 'memory', index: 0 },
      { name: 'g', kind: 'function', index: 1 },
    ]);
    expect(info.hasStart).toBe(true);
    expect(info.customSections).toEqual(['name', 'producers']);
  });

  it('reads imported memories', () => {
    const m = moduleBuilder();
    m.importMemory('env', 'memory', { min: 1, max: 4, shared: true });
    const info = inspectModule(m.build());
    expect(info.imports).toEqual([
      {
        module: 'env',
        name: 'memory',
        kind: 'memory',
        memory: { min: 1, max: 4, shared: true, memory64: false },
      },
    ]);
    expect(info.memories).toEqual([]);
    expect(info.hasStart).toBe(false);
  });

  it('inspects the example modules', () => {
    const hello = helloModule('hi\n');
    expect(WebAssembly.validate(hello)).toBe(true);
    expect(inspectModule(hello).functionImportSignatures[0]).toMatchObject({
      module: 'wasi_snapshot_preview1',
      name: 'fd_write',
      type: { params: ['i32', 'i32', 'i32', 'i32'], results: ['i32'] },
    });
    expect(inspectModule(infiniteLoopModule()).exports.map((e) => e.name)).toEqual(['memory', '_start']);
  });

  const fail = (bytes: number[], message: string) => {
    expect(() => inspectModule(new Uint8Array(bytes))).toThrow(InvalidArgumentError);
    expect(() => inspectModule(new Uint8Array(bytes))).toThrow(message);
  };

  it('rejects a bad magic', () =>
    fail([0x7f, 0x45, 0x4c, 0x46, 1, 0, 0, 0], 'not a WebAssembly module (bad magic)'));
  it('rejects other versions', () =>
    fail([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0], 'unsupported WebAssembly version 2'));
  it('rejects components', () =>
    fail(
      [0, 0x61, 0x73, 0x6d, 0x0d, 0, 0x01, 0],
      'WebAssembly components are not supported; a core module is needed',
    ));
  it('rejects a truncated section', () =>
    fail(
      [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 10, 0],
      'truncated WebAssembly module: section 1 runs past the end',
    ));
  it('rejects malformed LEB128', () =>
    fail(
      [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
      'malformed LEB128 at offset 9',
    ));
});
