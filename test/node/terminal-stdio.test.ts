/** src/node/terminal-stdio.ts with a fake stdin/stdout pair (Node only). */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Terminal } from '../../src/kernel/tty/index.js';
import { attachTerminal } from '../../src/node/terminal-stdio.js';

class FakeStdin extends EventEmitter {
  isTTY = true;
  raw: boolean[] = [];
  flowing = false;
  setRawMode(on: boolean): this {
    this.raw.push(on);
    return this;
  }
  resume(): this {
    this.flowing = true;
    return this;
  }
  pause(): this {
    this.flowing = false;
    return this;
  }
}

class FakeStdout extends EventEmitter {
  rows = 30;
  columns = 100;
  written = '';
  write(chunk: Uint8Array): boolean {
    this.written += Buffer.from(chunk).toString();
    return true;
  }
}

describe('attachTerminal', () => {
  it('puts stdin in raw mode, feeds keystrokes, writes output, follows resizes, and detaches', () => {
    const term = new Terminal();
    const stdin = new FakeStdin();
    const stdout = new FakeStdout();
    const a = attachTerminal(term, stdin, stdout);
    expect(stdin.raw).toEqual([true]);
    expect(stdin.flowing).toBe(true);
    expect([term.rows, term.cols]).toEqual([30, 100]);

    stdin.emit('data', Buffer.from('hi\r'));
    expect(stdout.written).toBe('hi\r\n'); // the kernel's line discipline echoes
    expect(new TextDecoder().decode(term.discipline.read(100))).toBe('hi\n');
    term.entry().write!(new TextEncoder().encode('out\n'));
    expect(stdout.written).toBe('hi\r\nout\r\n');

    stdout.rows = 50;
    stdout.columns = 132;
    stdout.emit('resize');
    expect([term.rows, term.cols]).toEqual([50, 132]);

    a.detach();
    expect(stdin.raw).toEqual([true, false]);
    expect(stdin.flowing).toBe(false);
    stdin.emit('data', Buffer.from('ignored\r'));
    expect(stdout.written).toBe('hi\r\nout\r\n');
  });

  it('leaves a stdin that is not a terminal alone; its end hangs the terminal up', () => {
    const term = new Terminal();
    const stdin = new FakeStdin();
    stdin.isTTY = false;
    attachTerminal(term, stdin, new FakeStdout());
    expect(stdin.raw).toEqual([]);
    stdin.emit('end');
    expect(term.discipline.read(10).length).toBe(0);
  });
});
