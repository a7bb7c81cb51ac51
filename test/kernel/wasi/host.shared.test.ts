/**
 * WasiHost imports called directly on a small WebAssembly.Memory: bounds checks (EFAULT,
 * never a host exception), errno mapping, readdir cookies, stdio, clocks and exit.
 */
import { describe, expect, it } from 'vitest';
import { LINUX_TO_WASI, WasiErrno, WasiExit, WasiHost, wasiErrno } from '../../../src/kernel/wasi/index.js';
import { Errno, MemFs, type ErrnoName } from '../../../src/vfs/index.js';

const PAGE = 65536;
const enc = new TextEncoder();

type Fn = (...args: (number | bigint)[]) => number;

function setup(opts: { stdin?: Uint8Array } = {}) {
  const fs = new MemFs();
  fs.mkdir('/d');
  for (const n of ['a', 'bb', 'ccc', 'dddd', 'eeeee']) fs.writeFile(`/d/${n}`, n);
  const out: Uint8Array[] = [];
  const host = new WasiHost({
    args: ['prog', 'x'],
    env: { A: 'b' },
    preopens: [{ guestPath: '/', fs }],
    stdout: (b) => out.push(b.slice()),
    stdin: opts.stdin,
  });
  const memory = new WebAssembly.Memory({ initial: 1 });
  host.bindMemory(memory);
  const raw = host.imports() as unknown as Record<string, Fn>;
  const bytes = new Uint8Array(memory.buffer);
  const view = new DataView(memory.buffer);
  /** Put a string at `ptr`; returns its byte length. */
  const put = (ptr: number, s: string) => {
    const b = enc.encode(s);
    bytes.set(b, ptr);
    return b.length;
  };
  return { fs, host, raw, bytes, view, put, out };
}

describe('WASI errno mapping', () => {
  it('maps every Linux errno name to a distinct WASI errno (ENODATA aside)', () => {
    const names = Object.keys(Errno) as ErrnoName[];
    for (const n of names) {
      expect(LINUX_TO_WASI[n], n).toBeGreaterThan(0);
      expect(LINUX_TO_WASI[n], n).toBeLessThanOrEqual(76);
    }
    const values = names.filter((n) => n !== 'ENODATA').map((n) => LINUX_TO_WASI[n]);
    expect(new Set(values).size).toBe(values.length);
    expect(wasiErrno('ENOENT')).toBe(44);
    expect(wasiErrno('EEXIST')).toBe(20);
    expect(wasiErrno('ENOTEMPTY')).toBe(55);
    expect(wasiErrno('EBADF')).toBe(8);
    expect(wasiErrno('EFAULT')).toBe(21);
  });

  it('returns the FileSystem error as a WASI errno', () => {
    const { raw, put } = setup();
    expect(raw.path_open(3, 1, 0, put(0, 'missing'), 0, 2n, 0n, 0, 100)).toBe(WasiErrno.NOENT);
    expect(raw.path_create_directory(3, 0, put(0, 'd'))).toBe(WasiErrno.EXIST);
    expect(raw.path_remove_directory(3, 0, put(0, 'd'))).toBe(WasiErrno.NOTEMPTY);
    expect(raw.path_unlink_file(3, 0, put(0, 'd'))).toBe(WasiErrno.ISDIR);
    expect(raw.fd_close(99)).toBe(WasiErrno.BADF);
    expect(raw.path_open(3, 1, 0, 0, 0, 2n, 0n, 0, 100)).toBe(WasiErrno.NOENT);
  });
});

describe('WASI guest pointers', () => {
  it('returns EFAULT for out-of-bounds pointers and never throws', () => {
    const { raw, put, view, out, fs } = setup();
    const end = PAGE;
    // iovec at 0 → [buf 200, len 4]
    view.setUint32(0, 200, true);
    view.setUint32(4, 4, true);
    const calls: [string, () => number][] = [
      ['args_get argv', () => raw.args_get(end - 4, 100)],
      ['args_get buf', () => raw.args_get(100, end - 2)],
      ['args_sizes_get', () => raw.args_sizes_get(end, 0)],
      ['environ_get', () => raw.environ_get(-1, 100)],
      ['environ_sizes_get', () => raw.environ_sizes_get(0, end - 3)],
      ['clock_time_get', () => raw.clock_time_get(1, 0n, end - 7)],
      ['clock_res_get', () => raw.clock_res_get(0, end)],
      ['random_get', () => raw.random_get(end - 10, 11)],
      ['random_get negative', () => raw.random_get(-8, 4)],
      ['fd_write iovs', () => raw.fd_write(1, end - 4, 1, 100)],
      ['fd_write iovs count', () => raw.fd_write(1, 0, 0x10000000, 100)],
      ['fd_write nwritten', () => raw.fd_write(1, 0, 1, end)],
      ['fd_fdstat_get', () => raw.fd_fdstat_get(1, end - 23)],
      ['fd_filestat_get', () => raw.fd_filestat_get(3, end - 63)],
      ['fd_prestat_get', () => raw.fd_prestat_get(3, end - 7)],
      ['fd_prestat_dir_name', () => raw.fd_prestat_dir_name(3, end, 1)],
      ['fd_readdir buf', () => raw.fd_readdir(3, end - 10, 100, 0n, 100)],
      ['fd_readdir used', () => raw.fd_readdir(3, 300, 100, 0n, end - 1)],
      ['fd_seek', () => raw.fd_seek(3, 0n, 0, end - 4)],
      ['path_open path', () => raw.path_open(3, 1, end - 2, 5, 1, 2n, 0n, 0, 100)],
      ['path_open fd out', () => raw.path_open(3, 1, 16, put(16, 'new'), 1, 2n, 0n, 0, end - 2)],
      ['path_create_directory', () => raw.path_create_directory(3, end, 1)],
      ['path_filestat_get', () => raw.path_filestat_get(3, 1, 16, put(16, 'd'), end - 8)],
      ['path_readlink', () => raw.path_readlink(3, 0xffffffff, 2, 0, 10, 100)],
      ['path_symlink', () => raw.path_symlink(end - 1, 4, 3, 16, put(16, 'l'))],
      ['poll_oneoff in', () => raw.poll_oneoff(end - 40, 0, 1, 100)],
      ['poll_oneoff out', () => raw.poll_oneoff(0, end - 16, 1, 100)],
    ];
    for (const [name, call] of calls) expect(call(), name).toBe(WasiErrno.FAULT);
    expect(out).toEqual([]);
    // Failed path_open created nothing visible beyond its own name check.
    expect(() => fs.stat('/l')).toThrow();
  });

  it('leaves the file offset alone when fd_read faults', () => {
    const { raw, put, view } = setup();
    expect(raw.path_open(3, 1, 16, put(16, 'd/ccc'), 0, 2n, 0n, 0, 100)).toBe(0);
    const fd = view.getUint32(100, true);
    view.setUint32(0, PAGE - 2, true);
    view.setUint32(4, 3, true);
    expect(raw.fd_read(fd, 0, 1, 200)).toBe(WasiErrno.FAULT);
    view.setUint32(0, 400, true);
    expect(raw.fd_read(fd, 0, 1, 200)).toBe(0);
    expect(view.getUint32(200, true)).toBe(3);
  });
});

describe('WASI host calls', () => {
  it('reads a directory in pieces with cookies', () => {
    const { raw, put, view, bytes } = setup();
    expect(raw.path_open(3, 1, 16, put(16, 'd'), 2, 2n, 0n, 0, 100)).toBe(0);
    const fd = view.getUint32(100, true);
    const parse = (ptr: number, used: number) => {
      const ents: { next: bigint; name: string; type: number }[] = [];
      for (let at = ptr; at + 24 <= ptr + used;) {
        const len = view.getUint32(at + 16, true);
        if (at + 24 + len > ptr + used) break;
        ents.push({
          next: view.getBigUint64(at, true),
          type: view.getUint8(at + 20),
          name: new TextDecoder().decode(bytes.slice(at + 24, at + 24 + len)),
        });
        at += 24 + len;
      }
      return ents;
    };
    expect(raw.fd_readdir(fd, 1000, 4096, 0n, 200)).toBe(0);
    const all = parse(1000, view.getUint32(200, true));
    expect(all.map((e) => e.name)).toEqual(['.', '..', 'a', 'bb', 'ccc', 'dddd', 'eeeee']);
    expect(all.map((e) => e.type)).toEqual([3, 3, 4, 4, 4, 4, 4]);
    // A small buffer: one whole entry and a truncated one, then resume from the cookie.
    const names: string[] = [];
    let cookie = 0n;
    for (let guard = 0; guard < 20; guard++) {
      expect(raw.fd_readdir(fd, 1000, 40, cookie, 200)).toBe(0);
      const used = view.getUint32(200, true);
      const ents = parse(1000, used);
      if (ents.length === 0) break;
      names.push(...ents.map((e) => e.name));
      cookie = ents[ents.length - 1].next;
      if (used < 40) break;
    }
    expect(names).toEqual(['.', '..', 'a', 'bb', 'ccc', 'dddd', 'eeeee']);
  });

  it('reads stdin bytes then EOF, writes stdout, reports args', () => {
    const { raw, view, bytes, out } = setup({ stdin: enc.encode('hello') });
    view.setUint32(0, 100, true);
    view.setUint32(4, 3, true);
    expect(raw.fd_read(0, 0, 1, 200)).toBe(0);
    expect(view.getUint32(200, true)).toBe(3);
    expect(raw.fd_read(0, 0, 1, 200)).toBe(0);
    expect(view.getUint32(200, true)).toBe(2);
    expect(raw.fd_read(0, 0, 1, 200)).toBe(0);
    expect(view.getUint32(200, true)).toBe(0);
    expect(raw.fd_write(1, 0, 1, 200)).toBe(0);
    expect(new TextDecoder().decode(out[0])).toBe('lol'); // 'hel', then 'lo' over its start
    expect(raw.args_sizes_get(300, 304)).toBe(0);
    expect([view.getUint32(300, true), view.getUint32(304, true)]).toEqual([2, 7]);
    expect(raw.args_get(400, 500)).toBe(0);
    expect(new TextDecoder().decode(bytes.slice(500, 507))).toBe('prog\0x\0');
  });

  it('sleeps in poll_oneoff for a clock subscription', () => {
    const { raw, view } = setup();
    view.setBigUint64(0, 42n, true); // userdata
    view.setUint8(8, 0); // clock
    view.setUint32(16, 1, true); // monotonic
    view.setBigUint64(24, 3_000_000n, true); // 3 ms
    const t0 = performance.now();
    expect(raw.poll_oneoff(0, 100, 1, 200)).toBe(0);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(2.5);
    expect(view.getUint32(200, true)).toBe(1);
    expect(view.getBigUint64(100, true)).toBe(42n);
  });

  it('renumbers fds, ignores bad cookies, reports fd subscriptions ready', () => {
    const { raw, put, view } = setup();
    expect(raw.path_open(3, 1, 16, put(16, 'd/a'), 0, 2n, 0n, 0, 100)).toBe(0);
    expect(view.getUint32(100, true)).toBe(4);
    expect(raw.fd_renumber(4, 9)).toBe(WasiErrno.BADF); // the target must be open
    expect(raw.fd_renumber(4, 3)).toBe(0); // replaces (closes) the preopen
    expect(raw.fd_prestat_get(3, 200)).toBe(WasiErrno.BADF);
    expect(raw.fd_close(4)).toBe(WasiErrno.BADF);
    view.setUint32(0, 300, true);
    view.setUint32(4, 10, true);
    expect(raw.fd_read(3, 0, 1, 200)).toBe(0);
    expect(view.getUint32(200, true)).toBe(1);
    // A negative (huge) cookie reads nothing rather than failing.
    const { raw: raw2, view: view2 } = setup();
    expect(raw2.fd_readdir(3, 1000, 100, -1n, 200)).toBe(0);
    expect(view2.getUint32(200, true)).toBe(0);
    // poll_oneoff: an fd_read subscription on stdin next to a far clock returns at once.
    view.setBigUint64(1000, 1n, true);
    view.setUint8(1008, 1);
    view.setUint32(1016, 0, true);
    view.setBigUint64(1048, 2n, true);
    view.setUint8(1056, 0);
    view.setUint32(1064, 1, true);
    view.setBigUint64(1072, 60_000_000_000n, true);
    expect(raw.poll_oneoff(1000, 2000, 2, 200)).toBe(0);
    expect(view.getUint32(200, true)).toBe(1);
    expect(view.getBigUint64(2000, true)).toBe(1n);
    expect(view.getUint8(2010)).toBe(1);
  });

  it('clamps a stdin source that offers more than asked', () => {
    const host = new WasiHost({ stdin: () => enc.encode('abcdef') });
    const memory = new WebAssembly.Memory({ initial: 1 });
    host.bindMemory(memory);
    const raw = host.imports() as unknown as Record<string, Fn>;
    const view = new DataView(memory.buffer);
    view.setUint32(0, 100, true);
    view.setUint32(4, 2, true);
    expect(raw.fd_read(0, 0, 1, 200)).toBe(0);
    expect(view.getUint32(200, true)).toBe(2);
    expect(new Uint8Array(memory.buffer, 100, 3)).toEqual(new Uint8Array([97, 98, 0]));
  });

  it('exits with proc_exit, refuses sockets and signals', () => {
    const { raw } = setup();
    expect(() => raw.proc_exit(7)).toThrow(WasiExit);
    expect(raw.proc_raise(9)).toBe(WasiErrno.NOSYS);
    expect(raw.sock_accept(3, 0, 0)).toBe(WasiErrno.NOTSUP);
    expect(raw.sched_yield()).toBe(0);
  });
});

/** Parameter types of every import: i = i32, I = i64 (a BigInt from JS). */
const SIGNATURES: Record<string, string> = {
  args_get: 'ii',
  args_sizes_get: 'ii',
  environ_get: 'ii',
  environ_sizes_get: 'ii',
  clock_res_get: 'ii',
  clock_time_get: 'iIi',
  fd_advise: 'iIIi',
  fd_allocate: 'iII',
  fd_close: 'i',
  fd_datasync: 'i',
  fd_fdstat_get: 'ii',
  fd_fdstat_set_flags: 'ii',
  fd_fdstat_set_rights: 'iII',
  fd_filestat_get: 'ii',
  fd_filestat_set_size: 'iI',
  fd_filestat_set_times: 'iIIi',
  fd_pread: 'iiiIi',
  fd_prestat_get: 'ii',
  fd_prestat_dir_name: 'iii',
  fd_pwrite: 'iiiIi',
  fd_read: 'iiii',
  fd_readdir: 'iiiIi',
  fd_renumber: 'ii',
  fd_seek: 'iIii',
  fd_sync: 'i',
  fd_tell: 'ii',
  fd_write: 'iiii',
  path_create_directory: 'iii',
  path_filestat_get: 'iiiii',
  path_filestat_set_times: 'iiiiIIi',
  path_link: 'iiiiiii',
  path_open: 'iiiiiIIii',
  path_readlink: 'iiiiii',
  path_remove_directory: 'iii',
  path_rename: 'iiiiii',
  path_symlink: 'iiiii',
  path_unlink_file: 'iii',
  poll_oneoff: 'iiii',
  proc_exit: 'i',
  proc_raise: 'i',
  random_get: 'ii',
  sched_yield: '',
  sock_accept: 'iii',
  sock_recv: 'iiiiii',
  sock_send: 'iiiii',
  sock_shutdown: 'ii',
};

describe('WASI imports under random arguments', () => {
  it('has a signature for every import', () => {
    const { raw } = setup();
    expect(Object.keys(raw).sort()).toEqual(Object.keys(SIGNATURES).sort());
  });

  it('always returns an errno and never throws', () => {
    let seed = 0x2545f491;
    const next = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return seed >>> 0;
    };
    const i32s = [0, 1, 2, 3, 4, 5, 8, 16, 100, PAGE - 1, PAGE - 8, PAGE, -1, -PAGE, 0x7fffffff];
    const i64s = [0n, 1n, 100n, -1n, 5n << 32n, 1n << 62n, -(1n << 63n)];
    const { raw, put, view } = setup();
    // Somewhere for paths and iovecs to point at.
    put(16, 'd/a');
    view.setUint32(32, 16, true);
    view.setUint32(36, 8, true);
    // poll_oneoff could sleep for a random timeout; proc_exit throws WasiExit by design.
    const names = Object.keys(SIGNATURES).filter((n) => n !== 'poll_oneoff' && n !== 'proc_exit');
    for (let round = 0; round < 4000; round++) {
      const name = names[next() % names.length];
      const args = [...SIGNATURES[name]].map((t) =>
        t === 'I' ? i64s[next() % i64s.length] : next() % 3 === 0 ? next() | 0 : i32s[next() % i32s.length],
      );
      const r = raw[name](...args);
      expect(Number.isInteger(r) && r >= 0 && r <= 76, `${name}(${args.join(', ')}) → ${r}`).toBe(true);
    }
  });
});
