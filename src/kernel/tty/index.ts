/** Terminals for hosts: create one, feed keystrokes, read the screen, resize (terminal.ts). */
export { Terminal, terminalOf, type TerminalOptions } from './terminal.js';
export { LineDiscipline, type DisciplineHooks } from './line-discipline.js';
export { defaultTermios, type Termios } from './termios.js';
export { signalGroup } from './groups.js';
