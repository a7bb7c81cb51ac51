/** berth's sh on the emulated kernel (Node and Chromium): what this first version runs. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Kernel } from '../../src/kernel/proc/kernel.js';
import type { MemFs } from '../../src/vfs/memfs.js';
import { newKernel, runSh, userlandRoot } from './helpers.js';

let kernel: Kernel;
let root: MemFs;
beforeEach(async () => {
  kernel = newKernel();
  root = await userlandRoot();
});
afterEach(() => kernel.shutdown());

describe('sh', () => {
  it('runs pipelines of programs and builtins', async () => {
    expect(await runSh(kernel, root, 'echo hi | probe cat | probe cat 2>/tmp/err')).toEqual({
      stdout: 'hi\n',
      stderr: '3 bytes\n',
      code: 0,
    });
  });

  it('redirects: > >> < 2>&1', async () => {
    const r = await runSh(kernel, root, 'echo one > /tmp/f; echo two >> /tmp/f; probe cat < /tmp/f 2>&1');
    expect(r).toEqual({ stdout: 'one\ntwo\n8 bytes\n', stderr: '', code: 0 });
    expect(new TextDecoder().decode(root.readFile('/tmp/f'))).toBe('one\ntwo\n');
  });

  it('reports exit statuses: $?, 127 not found, 126 not executable, 128+n killed', async () => {
    root.writeFile('/bin/noexec', 'x', { mode: 0o644 });
    expect(await runSh(kernel, root, 'probe exit 4; echo $?')).toEqual({
      stdout: '4\n',
      stderr: '',
      code: 0,
    });
    expect(await runSh(kernel, root, 'nosuch')).toEqual({
      stdout: '',
      stderr: 'sh: nosuch: not found\n',
      code: 127,
    });
    expect((await runSh(kernel, root, 'noexec')).code).toBe(126);
    expect(await runSh(kernel, root, 'probe trap; echo $?')).toEqual({
      stdout: '134\n',
      stderr: '',
      code: 0,
    });
  });

  it('stops deep recursion cleanly, with a message and status 2', async () => {
    const r = await runSh(kernel, root, 'f() { f; }; f; echo never');
    expect(r).toEqual({
      stdout: '',
      stderr: 'sh: f: maximum function nesting level exceeded (500)\n',
      code: 2,
    });
    // 400 levels are fine
    const ok = await runSh(kernel, root, 'f() { [ $1 -gt 0 ] && f $(($1-1)) || echo bottom; }; f 400');
    expect(ok).toEqual({ stdout: 'bottom\n', stderr: '', code: 0 });
  });

  it('reads here-documents larger than a pipe holds (through an unlinked file in /tmp)', async () => {
    const line = 'x'.repeat(99);
    const doc = Array.from({ length: 2000 }, () => line).join('\n');
    const r = await runSh(kernel, root, `n=0; while read l; do n=$((n+1)); done <<EOF\n${doc}\nEOF\necho $n`);
    expect(r).toEqual({ stdout: '2000\n', stderr: '', code: 0 });
    expect(root.readdir('/tmp').filter((d) => d.name.startsWith('sh-heredoc'))).toEqual([]);
  });

  it('runs #! scripts through their interpreter, as execve does', async () => {
    root.writeFile('/tmp/script', '#!/bin/sh\necho "script $0 [$1] $#"\nexit 5\n', { mode: 0o755 });
    root.writeFile('/tmp/script-e', '#!/bin/sh -e\nfalse\necho not-here\n', { mode: 0o755 });
    expect(await runSh(kernel, root, '/tmp/script "a b"; echo $?')).toEqual({
      stdout: 'script /tmp/script [a b] 1\n5\n',
      stderr: '',
      code: 0,
    });
    expect(await runSh(kernel, root, 'cd /tmp && ./script-e; echo $?')).toEqual({
      stdout: '1\n',
      stderr: '',
      code: 0,
    });
  });

  it('gives NAME=value before a command to that command only, and children the cwd', async () => {
    const r = await runSh(kernel, root, 'PROBE=yes probe args; echo "[$PROBE]"; cd /tmp && probe pwd');
    expect(r.stdout).toBe('probe\nargs\nPROBE=yes\n[]\n/tmp\n');
  });

  it('reads commands from stdin when run without -c', async () => {
    const program = root.readFile('/bin/sh');
    let out = '';
    const proc = await kernel.spawn({
      program,
      argv: ['sh'],
      env: { PATH: '/bin' },
      root,
      fds: [
        {
          type: 'stdio',
          read: ((done) => () =>
            done ? null : ((done = true), new TextEncoder().encode('echo from stdin\nexit 5\n')))(false),
        },
        { type: 'stdio', write: (b) => void (out += new TextDecoder().decode(b.slice())) },
      ],
    });
    expect(await proc.exited).toEqual({ code: 5 });
    expect(out).toBe('from stdin\n');
  });
});
