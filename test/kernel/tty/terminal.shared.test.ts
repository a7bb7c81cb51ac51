/** A kernel terminal with processes on it: stdin/stdout, isatty, ^C to the foreground group, process groups. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Kernel } from '../../../src/kernel/proc/kernel.js';
import { Terminal } from '../../../src/kernel/tty/index.js';
import type { MemFs } from '../../../src/vfs/memfs.js';
import { newKernel } from '../proc/helpers.js';
import { userlandRoot } from '../../userland/helpers.js';

let kernel: Kernel;
let root: MemFs;
beforeEach(async () => {
  kernel = newKernel();
  root = await userlandRoot();
});
afterEach(() => kernel.shutdown());

function screenOf(term: Terminal): () => string {
  let text = '';
  term.onOutput((b) => (text += new TextDecoder().decode(b)));
  return () => text;
}

async function until(what: () => boolean, ms = 20_000): Promise<void> {
  const end = performance.now() + ms;
  while (!what()) {
    if (performance.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function onTerminal(term: Terminal, argv: string[]) {
  const proc = await kernel.spawn({
    program: root.readFile(argv[0]!),
    argv,
    env: { PATH: '/bin' },
    root,
    fds: [term.entry(), term.entry(), term.entry()],
  });
  term.attach(kernel).control(proc);
  return proc;
}

describe('kernel terminal', () => {
  it('is a program’s stdin and stdout: cooked lines in, \\r\\n out, ^D ends the input', async () => {
    const term = new Terminal();
    const screen = screenOf(term);
    const proc = await onTerminal(term, ['/bin/probe', 'cat']);
    term.input('hello\r');
    await until(() => screen() === 'hello\r\nhello\r\n');
    term.input('\x04');
    expect(await proc.exited).toEqual({ code: 0 });
    expect(screen()).toBe('hello\r\nhello\r\n6 bytes\r\n');
  });

  it('isatty says yes for it, no for a pipe', async () => {
    const term = new Terminal();
    const screen = screenOf(term);
    const proc = await onTerminal(term, [
      '/bin/sh',
      '-c',
      '[ -t 0 ] && [ -t 1 ] && echo tty; echo | { [ -t 0 ] || echo pipe; }',
    ]);
    expect(await proc.exited).toEqual({ code: 0 });
    expect(screen()).toBe('tty\r\npipe\r\n');
  });

  it('^C kills the foreground process group', async () => {
    const term = new Terminal();
    const proc = await onTerminal(term, ['/bin/probe', 'cat']);
    term.input('abc\x03');
    expect(await proc.exited).toEqual({ signal: 2 });
  });

  it('kill 0 signals the caller’s whole process group', async () => {
    const term = new Terminal();
    const proc = await onTerminal(term, [
      '/bin/sh',
      '-c',
      'probe sleep 60000 & probe sleep 60000 & kill 0; echo not reached',
    ]);
    expect(await proc.exited).toEqual({ signal: 15 });
    await until(() => [...kernel.processes.values()].every((p) => !p.alive));
  });

  it('resize changes what the window size call reports', () => {
    const term = new Terminal({ rows: 30, cols: 100 });
    term.resize(40, 120);
    expect([term.rows, term.cols]).toEqual([40, 120]);
  });
});
