/**
 * The committed wasm/build/*.wasm are what `npm run build:wasm` makes, byte for byte; so
 * are the native programs in wasm/build/linux-amd64 (wasm/build-native.sh).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeWith } from './support/requirements.js';

const wasmDir = fileURLToPath(new URL('../wasm/', import.meta.url));

/** Run `script` into a new directory and compare what it made with the files in `committed`. */
function rebuildsIdentically(script: string, committed: string, keep: (file: string) => boolean): void {
  const out = mkdtempSync(join(tmpdir(), 'berth-build-'));
  try {
    execFileSync('sh', [join(wasmDir, script), out], { stdio: 'pipe' });
    const files = readdirSync(committed).filter(keep).sort();
    expect(readdirSync(out).sort()).toEqual(files);
    for (const f of files)
      expect(readFileSync(join(out, f)).equals(readFileSync(join(committed, f))), f).toBe(true);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

describeWith([{ tool: 'clang' }, { tool: 'wasm-opt' }], 'wasm/build.sh', () => {
  it('rebuilds every committed program identically', () => {
    rebuildsIdentically('build.sh', join(wasmDir, 'build'), (f) => f.endsWith('.wasm'));
  });
});

describeWith([{ tool: 'gcc' }, 'linux-amd64'], 'wasm/build-native.sh', () => {
  it('rebuilds the committed linux-amd64 programs identically', () => {
    rebuildsIdentically('build-native.sh', join(wasmDir, 'build', 'linux-amd64'), () => true);
  });
});
