/**
 * The line discipline of a terminal, after Linux's n_tty: what happens to typed bytes
 * (canonical line editing, echo, signal characters) before a program reads them, and to
 * written bytes (\n → \r\n) before the screen gets them. It knows nothing of processes:
 * signals and output go to the hooks its Terminal gives it.
 */
import { WaitQueue, WouldBlock } from '../wasi/blocking.js';
import {
  copyTermios,
  defaultTermios,
  ECHO,
  ECHOCTL,
  ECHOE,
  ECHOK,
  ECHOKE,
  ECHONL,
  ICANON,
  ICRNL,
  IEXTEN,
  IGNCR,
  INLCR,
  ISIG,
  NOFLSH,
  ONLCR,
  OPOST,
  VEOF,
  VEOL,
  VERASE,
  VINTR,
  VKILL,
  VLNEXT,
  VMIN,
  VQUIT,
  VREPRINT,
  VSUSP,
  VTIME,
  VWERASE,
  type Termios,
} from './termios.js';

export const SIGINT = 2;
export const SIGQUIT = 3;
export const SIGTSTP = 20;

/** Linux's n_tty buffer holds 4095 bytes of a line being typed. */
const MAX_LINE = 4095;
const NL = 10;
const CR = 13;
const BS = 8;
const DEL = 0x7f;

export interface DisciplineHooks {
  /** Bytes for the screen (echo and program output, after output processing). */
  output(bytes: Uint8Array): void;
  /** A signal character was typed: send `sig` to the foreground process group. */
  signal(sig: number): void;
}

export class LineDiscipline {
  private mode: Termios = defaultTermios();
  /** Canonical mode: the line being typed, and the finished lines (an empty one = end of file). */
  private line: number[] = [];
  private lines: Uint8Array[] = [];
  /** Non-canonical mode: bytes typed, not yet read. */
  private raw: number[] = [];
  private literalNext = false;
  private hungUp = false;
  /** A VTIME read waiting: when it gives up. */
  private timeoutAt: number | null = null;
  /** Woken when there is something to read. */
  readonly queue = new WaitQueue();

  constructor(private readonly hooks: DisciplineHooks) {}

  get termios(): Termios {
    return copyTermios(this.mode);
  }

  /** tcsetattr: switching canonical mode on or off keeps what was typed. */
  set termios(t: Termios) {
    const wasCanon = (this.mode.lflag & ICANON) !== 0;
    this.mode = copyTermios(t);
    const canon = (t.lflag & ICANON) !== 0;
    if (wasCanon && !canon) {
      for (const l of this.lines) this.raw.push(...l);
      this.raw.push(...this.line);
      this.lines = [];
      this.line = [];
    } else if (!wasCanon && canon) {
      this.line.push(...this.raw);
      this.raw = [];
    }
    this.queue.wakeAll();
  }

  private get canonical(): boolean {
    return (this.mode.lflag & ICANON) !== 0;
  }

  /** Bytes typed on the keyboard. */
  receive(bytes: Uint8Array): void {
    if (this.hungUp) return;
    for (const b of bytes) this.receiveByte(b);
    this.queue.wakeAll();
  }

  private receiveByte(input: number): void {
    const { iflag, lflag, cc } = this.mode;
    let c = input;
    if (this.literalNext) {
      this.literalNext = false;
      return this.store(c);
    }
    if (c === CR) {
      if (iflag & IGNCR) return;
      if (iflag & ICRNL) c = NL;
    } else if (c === NL && iflag & INLCR) c = CR;
    if (lflag & ISIG) {
      const sig = c === cc[VINTR] ? SIGINT : c === cc[VQUIT] ? SIGQUIT : c === cc[VSUSP] ? SIGTSTP : 0;
      if (sig !== 0 && c !== 0) {
        if (!(lflag & NOFLSH)) this.flush();
        this.echo(c);
        this.hooks.signal(sig);
        return;
      }
    }
    if (!this.canonical) return this.store(c);
    if (c === 0) return this.store(c);
    if (lflag & IEXTEN && c === cc[VLNEXT]) {
      this.literalNext = true;
      if (lflag & ECHO && lflag & ECHOCTL) this.out([0x5e, BS]);
      return;
    }
    // ^H erases too, whatever VERASE is, as the Backspace key sends either.
    if (c === cc[VERASE] || c === BS || c === DEL) return this.erase(1);
    if (c === cc[VKILL]) return this.kill();
    if (lflag & IEXTEN && c === cc[VWERASE]) return this.erase(2);
    if (lflag & IEXTEN && c === cc[VREPRINT]) return this.reprint(c);
    if (c === cc[VEOF]) return this.endLine();
    if (c === NL || c === cc[VEOL]) {
      this.line.push(c);
      if (lflag & ECHO || lflag & ECHONL) this.echo(c, true);
      return this.endLine();
    }
    this.store(c);
  }

  /** An ordinary character: onto the line (canonical) or straight to the reader. */
  private store(c: number): void {
    if (!this.canonical) {
      this.raw.push(c);
      this.echo(c);
      return;
    }
    if (this.line.length >= MAX_LINE) return;
    this.line.push(c);
    this.echo(c);
  }

  private endLine(): void {
    this.lines.push(Uint8Array.from(this.line));
    this.line = [];
  }

  /** Erase one character (what = 1) or one word (2), as ECHOE shows it: back, blank, back. */
  private erase(what: 1 | 2): void {
    const isSpace = (b: number): boolean => b === 0x20 || b === 9;
    if (what === 2)
      while (this.line.length > 0 && isSpace(this.line[this.line.length - 1]!)) this.eraseChar();
    do {
      if (this.line.length === 0) return;
      this.eraseChar();
    } while (what === 2 && this.line.length > 0 && !isSpace(this.line[this.line.length - 1]!));
  }

  private eraseChar(): void {
    // A UTF-8 character goes as a whole: its continuation bytes, then its lead byte.
    let c = this.line.pop()!;
    while ((c & 0xc0) === 0x80 && this.line.length > 0) c = this.line.pop()!;
    const { lflag } = this.mode;
    if (!(lflag & ECHO)) return;
    if (!(lflag & ECHOE)) return this.echo(this.mode.cc[VERASE]!);
    const wide = c < 0x20 && c !== 9 && lflag & ECHOCTL ? 2 : 1; // shown as ^X
    for (let i = 0; i < wide; i++) this.out([BS, 0x20, BS]);
  }

  private kill(): void {
    const { lflag } = this.mode;
    if (lflag & ECHO && lflag & ECHOK && !(lflag & ECHOKE && lflag & ECHOE)) {
      this.line = [];
      this.echo(this.mode.cc[VKILL]!);
      this.out([NL]);
      return;
    }
    while (this.line.length > 0) this.eraseChar();
  }

  private reprint(c: number): void {
    if (!(this.mode.lflag & ECHO)) return;
    this.echo(c);
    this.out([NL]);
    for (const b of this.line) this.echo(b);
  }

  /** Echo a typed character: control characters as ^X under ECHOCTL. */
  private echo(c: number, force = false): void {
    const { lflag } = this.mode;
    if (!(lflag & ECHO) && !force) return;
    if (lflag & ECHOCTL && ((c < 0x20 && c !== NL && c !== 9) || c === DEL))
      this.out([0x5e, c === DEL ? 0x3f : c + 0x40]);
    else this.out([c]);
  }

  private out(bytes: number[]): void {
    this.write(Uint8Array.from(bytes));
  }

  /** Discard everything typed (a signal character without NOFLSH). */
  flush(): void {
    this.line = [];
    this.lines = [];
    this.raw = [];
  }

  /** Output processing: OPOST with ONLCR turns \n into \r\n. */
  write(bytes: Uint8Array): void {
    const { oflag } = this.mode;
    if (!(oflag & OPOST && oflag & ONLCR) || !bytes.includes(NL)) return this.hooks.output(bytes.slice());
    const out: number[] = [];
    for (const b of bytes) {
      if (b === NL) out.push(CR);
      out.push(b);
    }
    this.hooks.output(Uint8Array.from(out));
  }

  /** The terminal went away: readers get end of file, typing does nothing. */
  hangup(): void {
    this.hungUp = true;
    this.queue.wakeAll();
  }

  /** Would a read return now? */
  readable(): boolean {
    if (this.hungUp) return true;
    if (this.canonical) return this.lines.length > 0;
    return (
      this.raw.length >= Math.max(1, this.mode.cc[VMIN]!) || (this.mode.cc[VMIN] === 0 && this.raw.length > 0)
    );
  }

  /**
   * read(2): canonical mode gives at most one line (an empty finished line is end of
   * file); non-canonical mode follows VMIN (bytes to wait for) and VTIME (tenths of a
   * second to wait when VMIN is 0).
   */
  read(max: number): Uint8Array {
    if (this.canonical) {
      const first = this.lines[0];
      if (first === undefined) {
        if (this.hungUp) return new Uint8Array(0);
        throw new WouldBlock([this.queue]);
      }
      if (first.length <= max) {
        this.lines.shift();
        return first;
      }
      this.lines[0] = first.subarray(max);
      return first.subarray(0, max);
    }
    const vmin = this.mode.cc[VMIN]!;
    const vtime = this.mode.cc[VTIME]!;
    const want = Math.min(Math.max(vmin, 1), max);
    if (this.raw.length < want && !this.hungUp) {
      if (vmin > 0) throw new WouldBlock([this.queue]);
      if (this.raw.length === 0 && vtime > 0) {
        const now = performance.now();
        this.timeoutAt ??= now + vtime * 100;
        if (now < this.timeoutAt) throw new WouldBlock([this.queue], this.timeoutAt);
      }
    }
    this.timeoutAt = null;
    return Uint8Array.from(this.raw.splice(0, Math.min(max, this.raw.length)));
  }
}
