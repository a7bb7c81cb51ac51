/**
 * The process extension: the calls a program needs beyond WASI preview1 to be a process
 * among others (docs/process-extension.md). Calls WASIX also has keep WASIX's module name
 * (`wasix_32v1`) and signature; the rest live in module `berth`. Every call returns a WASI
 * errno unless its doc says otherwise, and reads guest memory only through GuestMemory,
 * so a bad pointer is EFAULT.
 */
import { classifyExecutable } from './exec-image.js';
import { InvalidArgumentError, ResourceLimitError } from '../../errors.js';
import { isFsError } from '../../vfs/errno.js';
import { guardSyscall, WaitQueue, WouldBlock } from '../wasi/blocking.js';
import { wasiErrno, WasiErrno as E } from '../wasi/errno.js';
import { preopenEntry, releaseEntry, retainEntry, WasiError, type Entry } from '../wasi/host.js';
import { GuestFault } from '../wasi/memory.js';
import type { Kernel, NewNamespaces } from './kernel.js';
import type { Program } from './module-cache.js';
import { waitStatus, type Process, SIG_CATCH, SIG_DFL, SIG_IGN } from './process.js';
import { doChroot, doMount, doPivotRoot, doUmount } from './mount-calls.js';
import { statfsOf, STATFS_SIZE } from './statfs.js';
import { MountFs } from '../mnt/mount-fs.js';
import { connect, listen, SocketError } from '../net/loopback.js';
import { Pipe } from './pipe.js';
import { catchable, linuxSignalFromWasi, NSIG } from './signals.js';
import { ttyCalls } from '../tty/calls.js';
import { hostIdOf, signalGroup } from '../tty/groups.js';

/** clone(2) namespace flags, Linux values. */
export const CLONE_NEWNS = 0x00020000;
export const CLONE_NEWCGROUP = 0x02000000;
export const CLONE_NEWUTS = 0x04000000;
export const CLONE_NEWIPC = 0x08000000;
export const CLONE_NEWUSER = 0x10000000;
export const CLONE_NEWPID = 0x20000000;
export const CLONE_NEWNET = 0x40000000;

export const WNOHANG = 1;
export const AT_SYMLINK_NOFOLLOW = 0x100;
/** sizeof(struct berth_stat). */
export const STAT_SIZE = 88;

/** struct utsname: six 65-byte NUL-padded fields. */
const UTS_FIELD = 65;
export const UTS_RELEASE = '6.1.0-berth';
export const UTS_MACHINE = 'wasm32';

class Errno extends Error {
  constructor(readonly errno: number) {
    super(`errno ${errno}`);
  }
}

type Fn = (...args: never[]) => number | bigint | void;

function unshareFlags(flags: number, proc: Process): NewNamespaces {
  const u: NewNamespaces = {};
  if (flags & CLONE_NEWPID) u.pid = true;
  if (flags & CLONE_NEWUTS) u.uts = true;
  if (flags & CLONE_NEWIPC) u.ipc = true;
  if (flags & CLONE_NEWNET) u.net = true;
  if (flags & CLONE_NEWNS) u.mnt = true;
  if (flags & CLONE_NEWCGROUP) u.cgroup = true;
  // Like `unshare -r`: the caller's ids become root inside.
  if (flags & CLONE_NEWUSER)
    u.user = {
      uidMap: [{ inside: 0, outside: proc.ns.user.uidToHost(proc.uid), count: 1 }],
      gidMap: [{ inside: 0, outside: proc.ns.user.gidToHost(proc.gid), count: 1 }],
    };
  return u;
}

export function extensionImports(kernel: Kernel, proc: Process): Record<string, Record<string, Fn>> {
  const mem = () => proc.wasi.memory;
  const str = (ptr: number, len: number) => mem().string(ptr, len);
  /** NUL-separated strings (argv, env) in [ptr, ptr+len). */
  const strings = (ptr: number, len: number): string[] => {
    if (len === 0) return [];
    const text = str(ptr, len);
    return (text.endsWith('\0') ? text.slice(0, -1) : text).split('\0');
  };
  const fdEntry = (fd: number): Entry => {
    const e = proc.wasi.fds[fd];
    if (e === undefined) throw new Errno(E.BADF);
    return e;
  };
  const byPid = (pid: number): Process => {
    const p = (proc.ns.pid.members as Map<number, Process>).get(pid);
    if (p === undefined || !p.alive) throw new Errno(E.SRCH);
    return p;
  };
  const absolute = (path: string): string =>
    path.startsWith('/') ? path : `${proc.cwd.replace(/\/$/, '')}/${path}`;
  const loading = new Map<string, WaitQueue>();
  const net = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof SocketError)
        throw new Errno(
          e.code === 'EADDRINUSE' ? E.ADDRINUSE : e.code === 'ECONNREFUSED' ? E.CONNREFUSED : E.INVAL,
        );
      throw e;
    }
  };
  /** After the root changed (chroot, pivot_root, a new mount namespace): fd 3, the root preopen wasi-libc resolves absolute paths with, follows. */
  const reroot = (): void => {
    const old = proc.wasi.fds[3];
    if (old?.type !== 'file' || old.preopen !== '/') return;
    proc.wasi.fds[3] = preopenEntry({ guestPath: '/', fs: proc.root });
    releaseEntry(old);
  };

  /**
   * What execve does before loading: follow `#!` lines to their interpreter (up to 4
   * deep, like Linux), and refuse ELF programs with an event naming their platform.
   */
  const execImage = (
    path: string,
    argv: string[],
    depth = 0,
  ): { path: string; argv: string[]; bytes: Uint8Array } => {
    const st = proc.root.stat(path);
    if ((st.mode & 0o170000) !== 0o100000) throw new Errno(E.ACCES);
    if ((st.mode & 0o111) === 0) throw new Errno(E.ACCES);
    const bytes = proc.root.readFile(path);
    const kind = classifyExecutable(bytes.subarray(0, 256));
    if (kind.kind === 'script') {
      if (depth >= 4) throw new Errno(E.LOOP);
      const interp = absolute(kind.interpreter);
      const args = [kind.interpreter, ...(kind.arg === undefined ? [] : [kind.arg]), path, ...argv.slice(1)];
      return execImage(interp, args, depth + 1);
    }
    if (kind.kind === 'elf') {
      kernel.emit({ type: 'exec-format', pid: proc.hostPid, path, platform: kind.platform });
      throw new Errno(E.NOEXEC);
    }
    return { path, argv, bytes };
  };

  /** Load a program's bytes, blocking the caller while it compiles the first time. */
  const programOf = (path: string, bytes: Uint8Array): Program => {
    const ready = kernel.modules.peek(bytes);
    if (ready instanceof Error) throw new Errno(E.NOEXEC);
    if (ready !== undefined) return ready;
    let q = loading.get(path);
    if (q === undefined) {
      const queue = new WaitQueue();
      q = queue;
      loading.set(path, queue);
      kernel.modules
        .load(bytes)
        .then(
          () => 0,
          () => 0,
        )
        .finally(() => {
          loading.delete(path);
          queue.wakeAll();
        });
    }
    throw new WouldBlock([q]);
  };

  /** Errors become errno, for the first try and for every retry after blocking. */
  const run = (body: () => number | void): number =>
    guardSyscall(body, (e) => {
      if (e instanceof Errno || e instanceof WasiError) return e.errno;
      if (e instanceof GuestFault) return E.FAULT;
      if (isFsError(e)) return wasiErrno(e.code);
      throw e;
    });
  const guard =
    (fn: (...a: number[]) => number | void): Fn =>
    (...args: never[]) =>
      run(() => fn(...(args as number[])));

  const wasix: Record<string, Fn> = {
    proc_id: guard((ret) => mem().setU32(ret, proc.pid)),
    proc_parent: guard((pid, ret) => {
      const p = pid === proc.pid ? proc : byPid(pid);
      const parent = p.parent;
      mem().setU32(ret, parent === null ? 0 : parent.pidAt(proc.ns.pid.level));
    }),
    proc_signal: guard((pid, sig) => {
      const linux = linuxSignalFromWasi(sig);
      if (linux === undefined) throw new Errno(E.INVAL);
      kernel.signal(byPid(pid), linux, proc);
    }),
    fd_pipe: guard((r, w) => {
      mem().range(r, 4);
      mem().range(w, 4);
      const pipe = new Pipe();
      mem().setU32(r, proc.wasi.alloc(pipe.readEnd()));
      mem().setU32(w, proc.wasi.alloc(pipe.writeEnd()));
    }),
    fd_dup: guard((fd, ret) => {
      mem().range(ret, 4);
      mem().setU32(ret, proc.wasi.alloc(retainEntry(fdEntry(fd))));
    }),
    getcwd: guard((buf, lenPtr) => {
      const bytes = new TextEncoder().encode(proc.cwd + '\0');
      const room = mem().u32(lenPtr);
      mem().setU32(lenPtr, bytes.length);
      if (room < bytes.length) throw new Errno(E.RANGE);
      mem().write(buf, bytes);
    }),
    chdir: guard((ptr, len) => {
      const path = absolute(str(ptr, len));
      const st = proc.root.stat(path);
      if ((st.mode & 0o170000) !== 0o040000) throw new Errno(E.NOTDIR);
      proc.cwd = proc.root.realpath(path);
    }),
  };

  const berth: Record<string, Fn> = {
    /** spawn(path, argv NUL-separated, env NUL-separated, cwd, fd map [child,parent]×n, clone flags, ret pid). */
    spawn: guard((pathP, pathL, argvP, argvL, envP, envL, cwdP, cwdL, mapP, mapN, flags, ret) => {
      const path = absolute(str(pathP, pathL));
      const argv = strings(argvP, argvL);
      const envList = strings(envP, envL);
      const cwd = cwdL === 0 ? proc.cwd : absolute(str(cwdP, cwdL));
      mem().range(mapP, mapN * 8);
      mem().range(ret, 4);
      const env: Record<string, string> = {};
      for (const kv of envList) {
        const eq = kv.indexOf('=');
        if (eq > 0) env[kv.slice(0, eq)] = kv.slice(eq + 1);
      }
      const image = execImage(path, argv.length > 0 ? argv : [path]);
      const program = programOf(image.path, image.bytes);
      const fds: (Entry | undefined)[] = [];
      if (mapN === 0) for (let fd = 0; fd < 3; fd++) fds[fd] = proc.wasi.fds[fd];
      for (let i = 0; i < mapN; i++) {
        const child = mem().u32(mapP + i * 8);
        const parent = mem().u32(mapP + i * 8 + 4);
        if (child === 3 || child > 1024) throw new Errno(E.INVAL);
        fds[child] = fdEntry(parent);
      }
      fds[3] = preopenEntry({ guestPath: '/', fs: proc.root });
      for (const [i, e] of fds.entries()) if (e !== undefined && i !== 3) retainEntry(e);
      let child: Process;
      try {
        child = kernel.spawnProgram(program, {
          program,
          argv: image.argv,
          exe: image.path,
          env,
          cwd,
          uid: proc.uid,
          gid: proc.gid,
          root: proc.root,
          fds,
          parent: proc,
          unshare: unshareFlags(flags, proc),
        });
      } catch (e) {
        if (e instanceof InvalidArgumentError) throw new Errno(E.NOEXEC);
        if (e instanceof ResourceLimitError) throw new Errno(/memory/.test(e.message) ? E.NOMEM : E.AGAIN);
        throw e;
      }
      mem().setU32(ret, child.pidAt(proc.ns.pid.level));
    }),
    /** waitpid(pid, options, ret status, ret pid): pid -1 or 0 = any child. */
    waitpid: guard((pid, options, statusP, retP) => {
      mem().range(statusP, 4);
      mem().range(retP, 4);
      const level = proc.ns.pid.level;
      const mine = [...proc.children].filter((c) => pid <= 0 || c.pidAt(level) === pid);
      if (mine.length === 0) throw new Errno(E.CHILD);
      const done = mine.find((c) => c.state === 'zombie');
      if (done !== undefined) {
        mem().setU32(statusP, waitStatus(done.status!));
        mem().setU32(retP, done.pidAt(level));
        kernel.reap(done);
        return;
      }
      if (options & WNOHANG) {
        mem().setU32(retP, 0);
        return;
      }
      throw new WouldBlock([proc.childEvents]);
    }),
    /** kill(pid, sig) with Linux signal numbers; pid -1 = every process it may signal. */
    kill: guard((pid, sig) => {
      if (sig < 0 || sig >= NSIG) throw new Errno(E.INVAL);
      if (pid > 0) return kernel.signal(byPid(pid), sig, proc);
      // 0: the caller's process group; -pgid: that group
      if (pid === 0 || pid < -1) {
        const group = pid === 0 ? proc.pgid : hostIdOf(proc, -pid);
        if (group === undefined || signalGroup(kernel, group, sig, proc) === 0) throw new Errno(E.SRCH);
        return;
      }
      if (pid === -1) {
        for (const p of proc.ns.pid.members.values() as Iterable<Process>)
          if (p !== proc && p.pidAt(proc.ns.pid.level) !== 1) kernel.signal(p, sig, proc);
        return;
      }
      throw new Errno(E.SRCH);
    }),
    /** sigaction(sig, 0 default | 1 ignore | 2 catch): caught signals call the export `__berth_signal`. */
    sigaction: guard((sig, action) => {
      if (sig <= 0 || sig >= NSIG || !catchable(sig) || action > SIG_CATCH) throw new Errno(E.INVAL);
      proc.dispositions[sig] = action === SIG_CATCH ? SIG_CATCH : action === SIG_IGN ? SIG_IGN : SIG_DFL;
    }),
    dup2: guard((from, to) => {
      const e = fdEntry(from);
      if (to < 0 || to > 1024) throw new Errno(E.BADF);
      if (from === to) return;
      const old = proc.wasi.fds[to];
      proc.wasi.fds[to] = retainEntry(e);
      if (old !== undefined) releaseEntry(old);
    }),
    uname: guard((buf) => {
      mem().range(buf, UTS_FIELD * 6);
      const fields = [
        'Linux',
        proc.ns.uts.hostname,
        UTS_RELEASE,
        '#1 SMP berth',
        UTS_MACHINE,
        proc.ns.uts.domainname,
      ];
      mem()
        .bytes(buf, UTS_FIELD * 6)
        .fill(0);
      fields.forEach((f, i) => mem().write(buf + i * UTS_FIELD, new TextEncoder().encode(f.slice(0, 64))));
    }),
    sethostname: guard((ptr, len) => {
      if (len > 64) throw new Errno(E.INVAL);
      if (proc.uid !== 0) throw new Errno(E.PERM);
      proc.ns.uts.hostname = str(ptr, len);
    }),
    setdomainname: guard((ptr, len) => {
      if (len > 64) throw new Errno(E.INVAL);
      if (proc.uid !== 0) throw new Errno(E.PERM);
      proc.ns.uts.domainname = str(ptr, len);
    }),
    /** getuid/getgid/geteuid/getegid return the id itself, like the libc calls. */
    getuid: () => proc.uid,
    geteuid: () => proc.uid,
    getgid: () => proc.gid,
    getegid: () => proc.gid,
    setuid: guard((uid) => {
      if (proc.uid !== 0 && uid !== proc.uid) throw new Errno(E.PERM);
      proc.uid = uid >>> 0;
    }),
    setgid: guard((gid) => {
      if (proc.uid !== 0 && gid !== proc.gid) throw new Errno(E.PERM);
      proc.gid = gid >>> 0;
    }),
    /**
     * unshare(flags): the caller enters new namespaces at once (uts, ipc, net, mnt, cgroup,
     * user), except pid, which — as on Linux — applies to the children it spawns next.
     */
    unshare: guard((flags) => {
      const u = unshareFlags(flags, proc);
      if (proc.uid !== 0 && !u.user && flags !== 0) throw new Errno(E.PERM);
      kernel.unshare(proc, u);
      reroot();
    }),
    /** setns(pid, flags): join the namespaces (CLONE_NEW* bits; 0 = all) of process pid. */
    setns: guard((pid, flags) => {
      if (proc.uid !== 0) throw new Errno(E.PERM);
      kernel.setns(proc, byPid(pid), flags === 0 ? ~0 : flags);
      reroot();
    }),
    /** sock_listen(port, backlog, ret_fd): a stream socket listening on 127.0.0.1:port of the caller's network namespace. */
    sock_listen: guard((port, backlog, ret) => {
      mem().range(ret, 4);
      mem().setU32(ret, proc.wasi.alloc(net(() => listen(proc.ns.net, port, backlog > 0 ? backlog : 128))));
    }),
    /** sock_connect(port, ret_fd): connect to 127.0.0.1:port in the caller's network namespace (ECONNREFUSED if no one listens there). Accept with WASI's sock_accept. */
    sock_connect: guard((port, ret) => {
      mem().range(ret, 4);
      mem().setU32(ret, proc.wasi.alloc(net(() => connect(proc.ns.net, port))));
    }),
    /** mount(source, target, fstype, flags, data): strings as (ptr, len) pairs; see mount-calls.ts. */
    mount: guard((sP, sL, tP, tL, fP, fL, flags, dP, dL) =>
      doMount(
        kernel,
        proc,
        str(sP, sL),
        absolute(str(tP, tL)),
        str(fP, fL),
        flags >>> 0,
        dL === 0 ? '' : str(dP, dL),
      ),
    ),
    umount: guard((tP, tL, flags) => doUmount(proc, absolute(str(tP, tL)), flags)),
    pivot_root: guard((nP, nL, oP, oL) => {
      doPivotRoot(proc, absolute(str(nP, nL)), absolute(str(oP, oL)));
      reroot();
    }),
    chroot: guard((pP, pL) => {
      doChroot(proc, absolute(str(pP, pL)));
      reroot();
    }),
    /**
     * statfs(path, len, ret): struct berth_statfs (berth.h, 56 bytes: type, bsize, blocks,
     * bfree, bavail, files, ffree as u64) of the filesystem mounted where path is; sizes
     * as statfs.ts describes.
     */
    statfs: guard((pP, pL, ret) => {
      const path = absolute(str(pP, pL));
      mem().range(ret, STATFS_SIZE);
      const cg = proc.cgroup.memoryMax;
      const memory = cg !== Infinity && cg < kernel.memoryTotal ? cg : kernel.memoryTotal;
      const root = proc.root;
      const m = root instanceof MountFs ? root.locate(path, 'statfs').mount : undefined;
      if (m === undefined) root.stat(path); // ENOENT as Linux
      const st =
        m === undefined
          ? statfsOf(root, 'rootfs', '', memory)
          : statfsOf(m.fs, m.spec.fstype, m.spec.options ?? '', memory);
      [st.type, st.bsize, st.blocks, st.bfree, st.bavail, st.files, st.ffree].forEach((v, i) =>
        mem().setU64(ret + i * 8, BigInt(v)),
      );
    }),
    /**
     * fstatat(dirfd, path, len, flags, ret): Linux stat fields WASI lacks (mode, uid, gid,
     * rdev), ids shown through the caller's user namespace. flags bit 0x100 =
     * AT_SYMLINK_NOFOLLOW. Layout: struct berth_stat in berth.h (88 bytes).
     */
    fstatat: guard((dirfd, pathP, pathL, flags, ret) => {
      const r = proc.wasi.resolve(dirfd, pathP, pathL);
      const st = flags & AT_SYMLINK_NOFOLLOW ? r.fs.lstat(r.path) : r.fs.stat(r.path);
      const m = mem();
      m.range(ret, STAT_SIZE);
      m.setU64(ret, st.dev);
      m.setU64(ret + 8, st.ino);
      m.setU32(ret + 16, st.mode);
      m.setU32(ret + 20, st.nlink);
      m.setU32(ret + 24, proc.ns.user.uidFromHost(st.uid));
      m.setU32(ret + 28, proc.ns.user.gidFromHost(st.gid));
      m.setU64(ret + 32, st.rdev);
      m.setU64(ret + 40, st.size);
      m.setU32(ret + 48, st.blksize);
      m.setU32(ret + 52, 0);
      m.setU64(ret + 56, st.blocks);
      m.setU64(ret + 64, BigInt(Math.round(st.atimeMs * 1e6)));
      m.setU64(ret + 72, BigInt(Math.round(st.mtimeMs * 1e6)));
      m.setU64(ret + 80, BigInt(Math.round(st.ctimeMs * 1e6)));
    }),
    /** fchmodat(dirfd, path, len, mode, flags). */
    fchmodat: guard((dirfd, pathP, pathL, mode, flags) => {
      const r = proc.wasi.resolve(dirfd, pathP, pathL);
      r.fs.chmod(r.path, mode & 0o7777, { nofollow: (flags & AT_SYMLINK_NOFOLLOW) !== 0 });
    }),
    /** fchownat(dirfd, path, len, uid, gid, flags): ids as the caller's user namespace names them; -1 keeps. */
    fchownat: guard((dirfd, pathP, pathL, uid, gid, flags) => {
      if (proc.uid !== 0) throw new Errno(E.PERM);
      const r = proc.wasi.resolve(dirfd, pathP, pathL);
      const hostUid = uid === -1 ? -1 : proc.ns.user.uidToHost(uid >>> 0);
      const hostGid = gid === -1 ? -1 : proc.ns.user.gidToHost(gid >>> 0);
      r.fs.chown(r.path, hostUid, hostGid, { nofollow: (flags & AT_SYMLINK_NOFOLLOW) !== 0 });
    }),
    /** umask(mask) → the previous mask (WASI creates apply it: WasiOptions.umask). */
    umask: (mask: number) => {
      const old = proc.umask;
      proc.umask = mask & 0o777;
      return old;
    },
    /** getpid/getppid return the pid itself (as seen in the caller's pid namespace). */
    getpid: () => proc.pid,
    getppid: () => proc.parent?.pidAt(proc.ns.pid.level) ?? 0,
  };

  // terminals, process groups, sessions (src/kernel/tty/calls.ts)
  for (const [name, fn] of Object.entries(ttyCalls(kernel, proc))) berth[name] = guard(fn);
  return { wasix_32v1: wasix, berth };
}
