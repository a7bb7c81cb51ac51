/** The terminal's line discipline (src/kernel/tty/line-discipline.ts), without processes. */
import { describe, expect, it } from 'vitest';
import { LineDiscipline } from '../../../src/kernel/tty/line-discipline.js';
import { ECHO, ICANON, ISIG, VMIN, VTIME } from '../../../src/kernel/tty/termios.js';
import { WouldBlock } from '../../../src/kernel/wasi/blocking.js';

function setup() {
  let screen = '';
  const signals: number[] = [];
  const d = new LineDiscipline({
    output: (b) => (screen += new TextDecoder().decode(b)),
    signal: (s) => signals.push(s),
  });
  const type = (s: string) => d.receive(new TextEncoder().encode(s));
  const read = (max = 4096): string | 'blocked' => {
    try {
      return new TextDecoder().decode(d.read(max));
    } catch (e) {
      if (e instanceof WouldBlock) return 'blocked';
      throw e;
    }
  };
  return { d, type, read, signals, screen: () => screen };
}

describe('line discipline: canonical mode', () => {
  it('buffers a line until Enter, echoing it with \\r\\n', () => {
    const t = setup();
    t.type('ls -l');
    expect(t.read()).toBe('blocked');
    expect(t.d.readable()).toBe(false);
    t.type('\r');
    expect(t.d.readable()).toBe(true);
    expect(t.read()).toBe('ls -l\n');
    expect(t.screen()).toBe('ls -l\r\n');
  });

  it('gives one line per read, and a long line in pieces', () => {
    const t = setup();
    t.type('one\rtwo\r');
    expect(t.read(2)).toBe('on');
    expect(t.read()).toBe('e\n');
    expect(t.read()).toBe('two\n');
    expect(t.read()).toBe('blocked');
  });

  it('erases with DEL and ^H (back, blank, back), a word with ^W, the line with ^U', () => {
    const t = setup();
    t.type('abc\x7f\x08d\r');
    expect(t.read()).toBe('ad\n');
    expect(t.screen()).toBe('abc\b \b\b \bd\r\n');
    t.type('echo one two\x17\x17three\r');
    expect(t.read()).toBe('echo three\n');
    t.type('junk\x15ok\r');
    expect(t.read()).toBe('ok\n');
    t.type('é\x7f\r'); // a UTF-8 character erases as a whole
    expect(t.read()).toBe('\n');
  });

  it('^D at the start of a line is end of file; after text it ends the line without a newline', () => {
    const t = setup();
    t.type('\x04');
    expect(t.read()).toBe('');
    t.type('abc\x04');
    expect(t.read()).toBe('abc');
    expect(t.read()).toBe('blocked');
    expect(t.screen()).toBe('abc');
  });

  it('^C and ^\\ signal the foreground group, echo as ^C, and discard the line', () => {
    const t = setup();
    t.type('partial\x03');
    expect(t.signals).toEqual([2]);
    expect(t.screen()).toBe('partial^C');
    t.type('x\r');
    expect(t.read()).toBe('x\n');
    t.type('\x1c');
    expect(t.signals).toEqual([2, 3]);
  });

  it('echoes nothing without ECHO, and control characters as ^X with it', () => {
    const t = setup();
    t.type('\x01\r');
    expect(t.screen()).toBe('^A\r\n');
    t.d.termios = { ...t.d.termios, lflag: t.d.termios.lflag & ~ECHO };
    t.type('secret\r');
    expect(t.read()).toBe('\x01\n');
    expect(t.read()).toBe('secret\n');
    expect(t.screen()).toBe('^A\r\n');
  });
});

describe('line discipline: raw mode and output', () => {
  const raw = (t: ReturnType<typeof setup>, vmin = 1, vtime = 0): void => {
    const m = t.d.termios;
    m.lflag &= ~(ICANON | ECHO | ISIG);
    m.cc[VMIN] = vmin;
    m.cc[VTIME] = vtime;
    t.d.termios = m;
  };

  it('passes every byte at once, ^C and ^D included, without echo or signals', () => {
    const t = setup();
    raw(t);
    expect(t.read()).toBe('blocked');
    t.type('a\x03\x04\x1b[D');
    expect(t.read()).toBe('a\x03\x04\x1b[D');
    expect(t.signals).toEqual([]);
    expect(t.screen()).toBe('');
  });

  it('keeps what was typed when the mode changes', () => {
    const t = setup();
    t.type('abc');
    raw(t);
    expect(t.read()).toBe('abc');
    t.type('de');
    t.d.termios = { ...t.d.termios, lflag: t.d.termios.lflag | ICANON };
    t.type('f\r');
    expect(t.read()).toBe('def\n');
  });

  it('VMIN 0: a read returns what is there, even nothing', () => {
    const t = setup();
    raw(t, 0, 0);
    expect(t.read()).toBe('');
    t.type('x');
    expect(t.read()).toBe('x');
  });

  it('turns \\n into \\r\\n on output (OPOST, ONLCR)', () => {
    const t = setup();
    t.d.write(new TextEncoder().encode('a\nb\n'));
    expect(t.screen()).toBe('a\r\nb\r\n');
  });

  it('after a hangup, reads are end of file', () => {
    const t = setup();
    t.d.hangup();
    expect(t.read()).toBe('');
  });
});
