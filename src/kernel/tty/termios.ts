/**
 * Terminal modes as Linux's termios has them (same bit values and c_cc indices, so a
 * program's tcgetattr/tcsetattr map one to one): what the line discipline does with the
 * bytes typed and the bytes written.
 */

/** c_iflag */
export const INLCR = 0o100;
export const IGNCR = 0o200;
export const ICRNL = 0o400;
export const IXON = 0o2000;
export const IUTF8 = 0o40000;

/** c_oflag */
export const OPOST = 0o1;
export const ONLCR = 0o4;

/** c_cflag: CS8 | CREAD | B38400, only reported. */
export const CFLAG_DEFAULT = 0o60 | 0o200 | 0o17;

/** c_lflag */
export const ISIG = 0o1;
export const ICANON = 0o2;
export const ECHO = 0o10;
export const ECHOE = 0o20;
export const ECHOK = 0o40;
export const ECHONL = 0o100;
export const NOFLSH = 0o200;
export const ECHOCTL = 0o1000;
export const ECHOKE = 0o4000;
export const IEXTEN = 0o100000;

/** c_cc indices */
export const VINTR = 0;
export const VQUIT = 1;
export const VERASE = 2;
export const VKILL = 3;
export const VEOF = 4;
export const VTIME = 5;
export const VMIN = 6;
export const VSUSP = 10;
export const VEOL = 11;
export const VREPRINT = 12;
export const VWERASE = 14;
export const VLNEXT = 15;
export const NCCS = 20;

export interface Termios {
  iflag: number;
  oflag: number;
  cflag: number;
  lflag: number;
  cc: Uint8Array;
}

/** What a fresh terminal has on Linux (`stty sane`): cooked, echoing, signals on. */
export function defaultTermios(): Termios {
  const cc = new Uint8Array(NCCS);
  cc[VINTR] = 0x03; // ^C
  cc[VQUIT] = 0x1c; // ^\
  cc[VERASE] = 0x7f; // DEL
  cc[VKILL] = 0x15; // ^U
  cc[VEOF] = 0x04; // ^D
  cc[VMIN] = 1;
  cc[VSUSP] = 0x1a; // ^Z
  cc[VREPRINT] = 0x12; // ^R
  cc[VWERASE] = 0x17; // ^W
  cc[VLNEXT] = 0x16; // ^V
  return {
    iflag: ICRNL | IXON | IUTF8,
    oflag: OPOST | ONLCR,
    cflag: CFLAG_DEFAULT,
    lflag: ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
    cc,
  };
}

export function copyTermios(t: Termios): Termios {
  return { ...t, cc: t.cc.slice() };
}

/** struct berth_termios (berth.h): iflag, oflag, cflag, lflag as u32, then cc[20]. */
export const TERMIOS_SIZE = 36;
