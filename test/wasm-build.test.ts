/** The committed wasm/build/*.wasm are what `npm run build:wasm` makes, byte for byte. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeWith } from './support/requirements.js';

const wasmDir = fileURLToPath(new URL('../wasm/', import.meta.url));

describeWith([{ tool: 'clang' }], 'wasm/build.sh', () => {
  it('rebuilds every committed program identically', () => {
    const out = mkdtempSync(join(tmpdir(), 'berth-wasm-'));
    try {
      execFileSync('sh', [join(wasmDir, 'build.sh'), out], { stdio: 'pipe' });
      const committed = readdirSync(join(wasmDir, 'build')).sort();
      expect(readdirSync(out).sort()).toEqual(committed);
      for (const f of committed)
        expect(readFileSync(join(out, f)).equals(readFileSync(join(wasmDir, 'build', f))), f).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
