/** `berth wasm run`: berth as a WASI runtime, with host directories preopened and confined. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, berth, berthBin, repoRoot } from './support/run-cli.js';

const probe = join(repoRoot, 'wasm/build/probe.wasm');
const fileops = join(repoRoot, 'wasm/build/fileops.wasm');
const fscheck = join(repoRoot, 'wasm/tests/build/fscheck.wasm');
let dir: string;

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'berth-wasm-run-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('berth wasm run', () => {
  it('runs a module with stdio on the terminal and its exit code', () => {
    expect(berth(undefined, ['wasm', 'run', probe, 'hello'])).toEqual({
      code: 0,
      stdout: 'hello from probe\n',
      stderr: '',
    });
    expect(berth(undefined, ['wasm', 'run', probe, 'exit', '7']).code).toBe(7);
    const cat = berth(undefined, ['wasm', 'run', '--', probe, 'cat'], {
      input: new TextEncoder().encode('typed\n'),
    });
    expect(cat.stdout).toBe('typed\n');
  });

  it('passes arguments after the module untouched, and --env', () => {
    const r = berth(undefined, ['wasm', 'run', '--env', 'PROBE=on', probe, 'args', '--dir', '-x']);
    expect(r.stdout).toBe(`${probe}\nargs\n--dir\n-x\nPROBE=on\n`);
  });

  it('preopens --dir HOSTDIR:GUESTDIR read-write', () => {
    const r = berth(undefined, ['wasm', 'run', '--dir', `${dir}:/data`, fileops, 'write', '2', '/data/out']);
    expect(r.code).toBe(0);
    expect(statSync(join(dir, 'out')).size).toBe(2 << 20);
  });

  it('passes the C filesystem checks on a host directory', () => {
    const work = mkdtempSync(join(dir, 'fscheck-'));
    const r = berth(undefined, [
      'wasm',
      'run',
      '--env',
      'FSCHECK=yes=1',
      '--dir',
      `${work}:/`,
      fscheck,
      'alpha',
      'beta gamma',
    ]);
    const lines = r.stdout.split('\n').filter((l) => /^(not )?ok /.test(l));
    expect(lines.length).toBe(46);
    expect(lines.filter((l) => l.startsWith('not ok'))).toEqual([]);
  });

  it('keeps the guest inside the directory: symlinks and .. cannot leave it', () => {
    const box = join(dir, 'box');
    mkdirSync(box);
    writeFileSync(join(dir, 'secret'), 'outside\n');
    symlinkSync('/etc/passwd', join(box, 'abs'));
    symlinkSync('../secret', join(box, 'rel'));
    for (const target of ['/data/abs', '/data/rel', '/data/../secret', '/data/../../etc/passwd']) {
      const r = berth(undefined, ['wasm', 'run', '--dir', `${box}:/data`, fileops, 'orc', '1', target]);
      expect(r.code, target).toBe(1);
      expect(r.stderr, target).toMatch(/No such file or directory/);
      expect(r.stderr).not.toContain(dir);
    }
    // writing through a symlink to outside lands inside (an absolute target restarts at the directory)
    symlinkSync('/escaped', join(box, 'out'));
    const w = berth(undefined, ['wasm', 'run', '--dir', `${box}:/data`, fileops, 'write', '1', '/data/out']);
    expect(w.code).toBe(0);
    expect(statSync(join(box, 'escaped')).size).toBe(1 << 20);
    expect(() => statSync('/escaped')).toThrow();
  });

  it('answers 127 for a missing module, 126 for one that is not WebAssembly, 125 for bad flags', () => {
    expect(berth(undefined, ['wasm', 'run', join(dir, 'nope.wasm')]).code).toBe(127);
    writeFileSync(join(dir, 'text.wasm'), '#!/bin/sh\n');
    const bad = berth(undefined, ['wasm', 'run', join(dir, 'text.wasm')]);
    expect(bad.code).toBe(126);
    expect(bad.stderr).toMatch(/not a WebAssembly module/);
    expect(berth(undefined, ['wasm', 'run', '--bogus', probe]).code).toBe(125);
    expect(berth(undefined, ['wasm', 'run']).code).toBe(125);
  });

  it('forwards Ctrl-C (SIGINT) to a program in a tight loop: exit 130', async () => {
    const child = spawn(process.execPath, [berthBin, 'wasm', 'run', probe, 'loop'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    // Wait until the program runs (and berth forwards signals), however slow the machine.
    await new Promise<void>((r) =>
      child.stdout.on('data', (d: Buffer) => d.toString().includes('looping') && r()),
    );
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(130);
  });
});

it('reads the committed probe module', () => {
  expect(readFileSync(probe).subarray(0, 4)).toEqual(Buffer.from([0, 0x61, 0x73, 0x6d]));
});
