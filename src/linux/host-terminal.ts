/**
 * A host pseudo-terminal for the OCI runtime (`-t`). runc and crun, run in the
 * foreground with `process.terminal: true`, make the container's pty themselves and
 * proxy it to their own stdio — but only when their own stdin, stdout or stderr is a
 * terminal (runc opens /dev/tty otherwise; crun's tcgetattr on fd 0 fails). Node cannot
 * open a pty, so util-linux's `script` (Debian's bsdutils, always installed) provides
 * one: the runtime runs on the slave side, berth talks to `script` through pipes.
 *
 * The host side is made raw and silent (`stty raw -echo`) before the runtime starts,
 * so the container's own line discipline is the only one (one echo, `\r\n` once), and
 * given the caller's size, which the runtime copies onto the container's pty. The
 * runtime's own messages go to fd 3, kept apart from the container's output.
 */

export interface TerminalSize {
  rows: number;
  cols: number;
}

/** The tools needed for a host terminal: util-linux's `script`, coreutils' `stty`. */
export interface TerminalTools {
  script: string;
  stty: string;
}

/** `file args…` under a new host terminal: the command to spawn instead, with fds 0–3 as pipes. */
export function underTerminal(
  tools: TerminalTools,
  size: TerminalSize,
  file: string,
  args: string[],
): { file: string; args: string[]; env: NodeJS.ProcessEnv } {
  const rows = Math.max(1, Math.floor(size.rows));
  const cols = Math.max(1, Math.floor(size.cols));
  const command =
    `${quote(tools.stty)} raw -echo rows ${rows} cols ${cols} && ` +
    `exec ${[file, ...args].map(quote).join(' ')} 2>&3`;
  // script runs the command with $SHELL -c
  return {
    file: tools.script,
    args: ['--quiet', '--return', '--echo', 'never', '--command', command, '/dev/null'],
    env: { ...process.env, SHELL: '/bin/sh' },
  };
}

function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
