/**
 * suspendableModule: which modules berth can suspend, and what a resume needs from them
 * (exported mutable globals, the data segments' byte range). Node and Chromium.
 */
import toolboxUrl from '../../../wasm/build/toolbox.wasm?url';
import probeUrl from '../../../wasm/build/probe.wasm?url';
import { describe, expect, it } from 'vitest';
import { GLOBAL_EXPORT_PREFIX, suspendableModule } from '../../../src/kernel/wasm-binary/index.js';
import { fixtureBytes } from '../../support/fixture.js';
import { helloModule } from '../../support/wasm-builder.js';

describe('suspendableModule', () => {
  it("finds an asyncify'd program's stack pointer, globals and data, and exports the globals", async () => {
    const bytes = await fixtureBytes(toolboxUrl);
    const found = suspendableModule(bytes)!;
    expect(found).not.toBeNull();
    const { info } = found;
    expect(info.globals).toContain(info.stackPointer);
    expect(info.data.hi).toBeGreaterThan(info.data.lo);
    const module = new WebAssembly.Module(found.bytes as Uint8Array<ArrayBuffer>);
    const exported = WebAssembly.Module.exports(module).filter((e) => e.kind === 'global');
    expect(exported.map((e) => e.name)).toEqual(info.globals.map((g) => `${GLOBAL_EXPORT_PREFIX}${g}`));
    // the original exports are all still there
    const before = WebAssembly.Module.exports(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>));
    expect(WebAssembly.Module.exports(module).slice(0, before.length)).toEqual(before);
  });

  it('returns null for modules asyncify did not transform', async () => {
    expect(suspendableModule(await fixtureBytes(probeUrl))).toBeNull();
    expect(suspendableModule(helloModule())).toBeNull();
  });
});
