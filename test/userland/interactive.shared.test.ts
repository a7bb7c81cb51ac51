/**
 * berth's sh on a kernel terminal, driven with keystrokes as a person would type them:
 * prompt, line editing, history, ^C, background jobs, ^D. Output is polled for with a
 * timeout (the machine may be loaded), never waited for with fixed sleeps.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Kernel } from '../../src/kernel/proc/kernel.js';
import type { Process } from '../../src/kernel/proc/process.js';
import { Terminal } from '../../src/kernel/tty/index.js';
import type { MemFs } from '../../src/vfs/memfs.js';
import { newKernel } from './helpers.js';
import { toolboxRoot } from './toolbox-harness.js';

const LEFT = '\x1b[D';
const UP = '\x1b[A';
const HOME = '\x1b[H';

let kernel: Kernel;
let root: MemFs;
beforeEach(async () => {
  kernel = newKernel();
  root = await toolboxRoot();
});
afterEach(() => kernel.shutdown());

interface Session {
  term: Terminal;
  proc: Process;
  /** Everything the screen got, \r\n made \n. */
  screen: () => string;
  /** Wait until the screen (from `from` on) contains `text`; returns the offset after it. */
  see: (text: string, from?: number) => Promise<number>;
  type: (keys: string) => void;
}

async function shell(): Promise<Session> {
  const term = new Terminal({ rows: 24, cols: 80 });
  let text = '';
  term.onOutput((b) => (text += new TextDecoder().decode(b)));
  const screen = () => text.replace(/\r\n/g, '\n');
  const proc = await kernel.spawn({
    program: root.readFile('/bin/sh'),
    argv: ['sh'],
    env: { PATH: '/bin', HOME: '/root' },
    cwd: '/',
    root,
    fds: [term.entry(), term.entry(), term.entry()],
  });
  term.attach(kernel).control(proc);
  const see = async (want: string, from = 0): Promise<number> => {
    const end = performance.now() + 30_000;
    for (;;) {
      const at = screen().indexOf(want, from);
      if (at >= 0) return at + want.length;
      if (performance.now() > end)
        throw new Error(`timed out waiting for ${JSON.stringify(want)} in ${JSON.stringify(screen())}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const s: Session = { term, proc, screen, see, type: (k) => term.input(k) };
  await see('/ # ');
  return s;
}

describe('interactive sh on a terminal', () => {
  it('shows busybox’s prompt, runs a typed command, exits at ^D with status 0', async () => {
    const s = await shell();
    s.type('echo hello world\r');
    const at = await s.see('echo hello world\nhello world\n/ # ');
    s.type('cd /tmp\r');
    await s.see('/tmp # ', at);
    s.type('\x04');
    expect(await s.proc.exited).toEqual({ code: 0 });
  });

  it('edits the line: Left, insert in the middle, Home, ^K, Backspace', async () => {
    const s = await shell();
    s.type(`echo helo${LEFT}l\r`);
    let at = await s.see('hello\n/ # ');
    s.type(`cho abc${HOME}e\r`);
    at = await s.see('abc\n/ # ', at);
    s.type(`echo kept cut${LEFT.repeat(4)}\x0b\r`);
    at = await s.see('kept\n/ # ', at);
    s.type('echo abcd\x7f\x7fX\r');
    at = await s.see('abX\n/ # ', at);
    s.type('echo one two\x17three\r');
    await s.see('one three\n/ # ', at);
  });

  it('recalls the last command with Up', async () => {
    const s = await shell();
    s.type('echo again\r');
    let at = await s.see('again\n/ # ');
    s.type(`${UP}\r`);
    at = await s.see('again\n/ # ', at);
    s.type('history\r');
    await s.see('   0 echo again\n   1 history\n', at);
  });

  it('^C at the prompt drops the line; ^C during a job ends the job only', async () => {
    const s = await shell();
    s.type('echo never\x03');
    let at = await s.see('echo never^C\n/ # ');
    s.type('sleep 100\r');
    await s.see('sleep 100\n', at);
    // the sleep has the terminal: wait until it is the foreground group, then ^C
    await until(() =>
      [...kernel.processes.values()].some(
        (p) => p.comm === 'sleep' && p.alive && s.term.foreground === p.pgid,
      ),
    );
    const t0 = performance.now();
    s.type('\x03');
    at = await s.see('^C\n/ # ', at);
    expect(performance.now() - t0).toBeLessThan(5000);
    s.type('echo $?\r');
    at = await s.see('130\n/ # ', at);
    expect(s.proc.alive).toBe(true);
    // the shell has the terminal back
    expect(s.term.foreground).toBe(s.proc.pgid);
  });

  it('^C stops a loop of foreground jobs', async () => {
    const s = await shell();
    s.type('while true; do sleep 100; done; echo after\r');
    await until(() =>
      [...kernel.processes.values()].some(
        (p) => p.comm === 'sleep' && p.alive && s.term.foreground === p.pgid,
      ),
    );
    s.type('\x03');
    const at = await s.see('^C\n/ # ');
    s.type('echo alive\r');
    await s.see('alive\n/ # ', at);
    expect(s.screen()).not.toMatch(/^after$/m);
  });

  it('asks for the rest of an unfinished command with PS2', async () => {
    const s = await shell();
    s.type('for i in 1 2; do\r');
    let at = await s.see('> ');
    s.type('echo n$i\r');
    at = await s.see('> ', at);
    s.type('done\r');
    await s.see('n1\nn2\n/ # ', at);
  });

  it('runs jobs in the background and lists them with `jobs`; Done is reported once', async () => {
    const s = await shell();
    s.type('sleep 5 &\r');
    let at = await s.see('/ # ', (await s.see('sleep 5 &\n')) - 1);
    s.type('jobs\r');
    at = await s.see('[1]+  Running                    sleep 5\n/ # ', at);
    s.type('sleep 0 &\r');
    at = await s.see('/ # ', at);
    // wait until the short one ended, then any command makes the shell report it
    await until(
      () => [...kernel.processes.values()].filter((p) => p.comm === 'sleep' && p.alive).length === 1,
    );
    s.type('true\r');
    at = await s.see('[2]+  Done                       sleep 0\n/ # ', at);
    s.type('kill -TERM -$!\r'); // no such group any more: the Done job was reaped
    at = await s.see('/ # ', at);
    s.type('jobs\r');
    await s.see('[1]+  Running                    sleep 5\n/ # ', at);
    expect(s.screen().split('sleep 0\n').length).toBe(2);
  });

  it('lists a background pipeline as its words', async () => {
    const s = await shell();
    s.type('sleep 100 | sleep 100 &\r');
    const at = await s.see('/ # ', 4);
    s.type('jobs\r');
    await s.see('[1]+  Running                    sleep 100 | sleep 100\n/ # ', at);
  });

  it('signals a background job’s process group with kill -SIG -PGID', async () => {
    const s = await shell();
    s.type('sleep 100 &\r');
    let at = await s.see('/ # ', 4);
    s.type('kill -TERM -$!\r');
    // reported before the next prompt, once
    at = await s.see('[1]+  Terminated                 sleep 100\n/ # ', at);
    s.type('jobs\r');
    await s.see('jobs\n/ # ', at);
    expect([...kernel.processes.values()].filter((p) => p.comm === 'sleep' && p.alive)).toEqual([]);
  });
});

async function until(what: () => boolean, ms = 30_000): Promise<void> {
  const end = performance.now() + ms;
  while (!what()) {
    if (performance.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
