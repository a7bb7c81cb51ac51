/**
 * The committed fscheck.wasm on WasiHost over MemFs in Chromium (skipped in Node, where
 * fscheck.test.ts runs it).
 */
import { describe, expect, inject, it } from 'vitest';
import '../../browser-smoke/provided.js';
import { WasiHost } from '../../../src/kernel/wasi/index.js';
import { MemFs } from '../../../src/vfs/index.js';

// Node runs the committed binary in fscheck.test.ts (read from disk); here the browser fetches
// it from the Vitest server.
const inBrowser = inject('berthEnvironment') === 'chromium';

describe.skipIf(!inBrowser)('fscheck.wasm in the browser', () => {
  it('passes every check on a MemFs', async () => {
    const module = await WebAssembly.compile(
      await (await fetch(new URL('../../../wasm/tests/build/fscheck.wasm', import.meta.url))).arrayBuffer(),
    );
    const dec = new TextDecoder();
    let stdout = '';
    const host = new WasiHost({
      args: ['fscheck', 'alpha', 'beta gamma'],
      env: { FSCHECK: 'yes=1' },
      preopens: [{ guestPath: '/', fs: new MemFs() }],
      stdout: (b) => (stdout += dec.decode(b)),
    });
    const { exitCode } = host.run(module);
    const lines = stdout.split('\n').filter((l) => /^(not )?ok /.test(l));
    expect(lines.filter((l) => !l.startsWith('ok '))).toEqual([]);
    expect(lines.length).toBeGreaterThanOrEqual(40);
    expect(exitCode).toBe(3);
  });
});
