/**
 * The terminal and job-control calls of the process extension (module `berth`, see
 * docs/process-extension.md): termios, the foreground process group, the window size,
 * process groups and sessions. Errors are thrown as WasiError; extension.ts turns them
 * into the errno the call returns.
 */
import { WasiErrno as E } from '../wasi/errno.js';
import { WasiError, type Entry } from '../wasi/host.js';
import type { Kernel } from '../proc/kernel.js';
import type { Process } from '../proc/process.js';
import { groupMembers, hostIdOf, idFor } from './groups.js';
import { terminalOf, type Terminal } from './terminal.js';
import { NCCS, TERMIOS_SIZE } from './termios.js';

/** WASI's errno for "not a terminal" (its errno.ts enum stops short of it). */
export const ENOTTY = 59;
/** tcsetattr's `when`: TCSAFLUSH also discards what was typed. */
const TCSAFLUSH = 2;

type Call = (...args: number[]) => number | void;

export function ttyCalls(kernel: Kernel, proc: Process): Record<string, Call> {
  const mem = () => proc.wasi.memory;
  const fail = (errno: number): never => {
    throw new WasiError(errno);
  };
  const terminal = (fd: number): Terminal => {
    const e: Entry | undefined = proc.wasi.fds[fd];
    if (e === undefined) return fail(E.BADF);
    return terminalOf(e) ?? fail(ENOTTY);
  };
  /** pid 0 = the caller; otherwise a process of the caller's pid namespace. */
  const target = (pid: number): Process => {
    if (pid === 0) return proc;
    const p = (proc.ns.pid.members as Map<number, Process>).get(pid);
    return p !== undefined && p.alive ? p : fail(E.SRCH);
  };

  return {
    /** tcgetattr(fd, ret: *berth_termios) */
    tcgetattr: (fd, ret) => {
      const t = terminal(fd).discipline.termios;
      const m = mem();
      m.range(ret, TERMIOS_SIZE);
      [t.iflag, t.oflag, t.cflag, t.lflag].forEach((v, i) => m.setU32(ret + i * 4, v));
      m.write(ret + 16, t.cc);
    },
    /** tcsetattr(fd, when, termios: *berth_termios): when 2 (TCSAFLUSH) discards typed input. */
    tcsetattr: (fd, when, ptr) => {
      const d = terminal(fd).discipline;
      const m = mem();
      m.range(ptr, TERMIOS_SIZE);
      if (when > TCSAFLUSH) fail(E.INVAL);
      if (when === TCSAFLUSH) d.flush();
      d.termios = {
        iflag: m.u32(ptr),
        oflag: m.u32(ptr + 4),
        cflag: m.u32(ptr + 8),
        lflag: m.u32(ptr + 12),
        cc: m.bytes(ptr + 16, NCCS).slice(),
      };
    },
    /** tcgetwinsize(fd, ret: *berth_winsize): rows and columns as u16, like TIOCGWINSZ. */
    tcgetwinsize: (fd, ret) => {
      const t = terminal(fd);
      mem().range(ret, 8);
      mem().bytes(ret, 8).fill(0);
      mem().setU16(ret, t.rows);
      mem().setU16(ret + 2, t.cols);
    },
    /** tcgetpgrp(fd, ret: *i32): the foreground group (0 if none is or it is not visible). */
    tcgetpgrp: (fd, ret) => {
      const t = terminal(fd);
      mem().range(ret, 4);
      mem().setU32(ret, t.foreground === 0 ? 0 : idFor(kernel, proc, t.foreground));
    },
    /**
     * tcsetpgrp(fd, pgid): a group of the caller's session becomes the foreground. A
     * terminal no session controls yet becomes the caller's session's.
     */
    tcsetpgrp: (fd, pgid) => {
      const t = terminal(fd);
      if (t.session !== 0 && t.session !== proc.sid) fail(ENOTTY);
      const host = hostIdOf(proc, pgid);
      if (pgid <= 0) fail(E.INVAL);
      const members = host === undefined ? [] : groupMembers(kernel, host);
      if (members.length === 0 || members.some((p) => p.sid !== proc.sid)) fail(E.PERM);
      t.session = proc.sid;
      t.foreground = host!;
    },
    /** setpgid(pid, pgid): 0s mean the caller / the target's own pid. */
    setpgid: (pid, pgid) => {
      if (pgid < 0) fail(E.INVAL);
      const p = target(pid);
      if (p !== proc && p.parent !== proc) fail(E.SRCH);
      if (p.sid !== proc.sid || p.sid === p.hostPid) fail(E.PERM);
      const host = pgid === 0 ? p.hostPid : hostIdOf(proc, pgid);
      if (host === undefined) return fail(E.PERM);
      if (host !== p.hostPid && !groupMembers(kernel, host).some((q) => q.sid === proc.sid)) fail(E.PERM);
      p.pgid = host;
    },
    /** getpgid(pid, ret: *i32) */
    getpgid: (pid, ret) => {
      const p = target(pid);
      mem().range(ret, 4);
      mem().setU32(ret, idFor(kernel, proc, p.pgid));
    },
    /** getsid(pid, ret: *i32) */
    getsid: (pid, ret) => {
      const p = target(pid);
      mem().range(ret, 4);
      mem().setU32(ret, idFor(kernel, proc, p.sid));
    },
    /** setsid(ret: *i32): a new session and group led by the caller (EPERM for a group leader). */
    setsid: (ret) => {
      mem().range(ret, 4);
      if (proc.pgid === proc.hostPid) fail(E.PERM);
      proc.sid = proc.hostPid;
      proc.pgid = proc.hostPid;
      mem().setU32(ret, proc.pid);
    },
  };
}
