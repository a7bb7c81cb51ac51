import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inspectModule, withImportedSharedMemory } from '../../../src/kernel/wasm-binary/index.js';

const path = new URL('../../../wasm/tests/build/fscheck.wasm', import.meta.url);

describe('withImportedSharedMemory on a real module', () => {
  it('rewrites wasm/tests/build/fscheck.wasm', () => {
    const input = new Uint8Array(readFileSync(path));
    const before = inspectModule(input);
    const { bytes, limits } = withImportedSharedMemory(input, {
      module: 'berth',
      name: 'memory',
      defaultMaxPages: 16384,
    });
    expect(WebAssembly.validate(bytes as BufferSource)).toBe(true);
    expect(limits?.shared).toBe(true);
    const after = inspectModule(bytes);
    expect(after.memories).toEqual([]);
    const nonMemory = (i: { kind: string }) => i.kind !== 'memory';
    expect(after.imports.filter(nonMemory)).toEqual(before.imports.filter(nonMemory));
    expect(after.imports.filter((i) => i.kind === 'memory')).toEqual([
      { module: 'berth', name: 'memory', kind: 'memory', memory: limits },
    ]);
    expect(after.exports).toEqual(before.exports);
    const memory = new WebAssembly.Memory({ initial: limits!.min, maximum: limits!.max!, shared: true });
    const module = new WebAssembly.Module(bytes as BufferSource);
    const stubs: Record<string, Record<string, () => number>> = {};
    for (const i of after.imports.filter(nonMemory)) (stubs[i.module] ??= {})[i.name] = () => 0;
    const instance = new WebAssembly.Instance(module, { ...stubs, berth: { memory } });
    if (instance.exports.memory) expect(instance.exports.memory).toBe(memory);
  });
});
