/**
 * fscheck.wasm (wasm/tests/fscheck.c, ~50 TAP-like checks) on WasiHost over MemFs and
 * OverlayFs, and the same binary under node:wasi for comparison. Running the committed
 * binary needs nothing; rebuilding it needs clang with wasi-libc.
 */
import { describe, expect, it } from 'vitest';
import { MemFs, OverlayFs } from '../../../src/vfs/index.js';
import { describeWith } from '../../support/requirements.js';
import { layer } from '../../vfs/helpers.js';
import { committedWasm, loadModule, rebuild, runOnBerth, runOnNode, type RunResult } from './run-fscheck.js';

/** Checks that node:wasi is known to fail (none with Node 20: it passes every check). */
const NODE_WASI_EXPECTED_FAILURES: string[] = [];

function failures(r: RunResult): string[] {
  return r.lines.filter((l) => l.startsWith('not ok'));
}

function expectAllOk(r: RunResult): void {
  expect(failures(r)).toEqual([]);
  expect(r.lines.length).toBeGreaterThanOrEqual(40);
  expect(r.stdout).toContain(`1..${r.lines.length}`);
  expect(r.stderr).toContain('fscheck: stderr works');
  expect(r.exitCode).toBe(3);
}

const names = (r: RunResult) => r.lines.map((l) => l.replace(/^(not )?ok \d+ - /, '').replace(/: .*$/, ''));

describe('fscheck.wasm on WasiHost', () => {
  const module = loadModule();

  it('passes every check on a MemFs', () => {
    expectAllOk(runOnBerth(module, new MemFs()));
  });

  it('passes every check on an OverlayFs over a small lower tree', () => {
    const lower = layer({ etc: { hostname: 'berth\n' }, bin: { sh: '#!' } });
    const fs = new OverlayFs([lower]);
    expectAllOk(runOnBerth(module, fs));
    expect(
      fs
        .readdir('/')
        .map((d) => d.name)
        .sort(),
    ).toEqual(['bin', 'etc', 'w']);
    expect(new TextDecoder().decode(fs.readFile('/w/r2'))).toBe('one');
  });

  it('matches node:wasi line for line', () => {
    const ours = runOnBerth(module, new MemFs());
    const node = runOnNode(module);
    expect(names(node)).toEqual(names(ours));
    const nodeFailures = failures(node).map((l) => l.replace(/^not ok \d+ - /, '').replace(/: .*$/, ''));
    expect(nodeFailures).toEqual(NODE_WASI_EXPECTED_FAILURES);
    const ok = (r: RunResult) => r.lines.filter((l) => l.startsWith('ok '));
    expect(ok(ours)).toEqual(expect.arrayContaining(ok(node)));
    expect(node.exitCode).toBe(3);
  });
});

describeWith([{ tool: 'clang' }, { tool: 'wasm-opt' }], 'fscheck.wasm rebuilt with clang', () => {
  it('builds reproducibly to the committed binary and passes', async () => {
    const { readFileSync } = await import('node:fs');
    const built = rebuild();
    expect(Buffer.compare(readFileSync(built), readFileSync(committedWasm))).toBe(0);
    expectAllOk(runOnBerth(loadModule(built), new MemFs()));
  });
});
