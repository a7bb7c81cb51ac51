/**
 * How one berth process reaches the containers another one owns (the Engine's Remote):
 * the owner listens on an abstract unix socket named after the root and its pid (no file
 * to clean up; it vanishes with the process). A request is one JSON line; the answer is
 * one JSON line, except for:
 *   changes  a JSON line {size}, then that many bytes (a layer tar)
 *   exec     frames [kind u8][length u32 BE][payload] — 1 stdout, 2 stderr, 3 the exit
 *            (JSON {code} or {error}) — while the client's bytes after its request
 *            line are the process's stdin (half-close = end of input)
 */
import { createHash } from 'node:crypto';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { BerthError } from '../errors.js';
import { diffToLayer } from '../layers/diff.js';
import type { Engine, Remote } from '../runtime/engine.js';
import type { ContainerStats, ExecProcess, ProcessRow, Stdio } from '../runtime/runtime.js';
import type { ProcessSpec } from '../runtime/spec.js';
import { runCopy, type CopyRequest, type CopyStreams } from './copy-command.js';

type Request =
  | { op: 'kill'; id: string; signal: number }
  | { op: 'stats' | 'top' | 'changes'; id: string }
  | { op: 'exec'; id: string; process: ProcessSpec; stdin: boolean; tty?: { rows: number; cols: number } }
  | { op: 'copy'; id: string; request: CopyRequest };

const FRAME_STDOUT = 1;
const FRAME_STDERR = 2;
const FRAME_EXIT = 3;

export function controlAddress(root: string, pid: number): string {
  const h = createHash('sha256').update(root).digest('hex').slice(0, 16);
  return `\0berth-${h}-${pid}`;
}

/** Serve the containers `engine` runs in this process; `close` when done. */
export function serveControl(engine: Engine, address: string): Promise<Server> {
  const server = createServer({ allowHalfOpen: true }, (socket) => void handle(engine, socket));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address, () => {
      server.unref();
      resolve(server);
    });
  });
}

/** The first line of `socket` and what came after it. */
function readRequest(socket: Socket): Promise<{ line: string; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const onData = (b: Buffer): void => {
      buf = Buffer.concat([buf, b]);
      const nl = buf.indexOf(10);
      if (nl < 0) return;
      socket.off('data', onData);
      socket.pause();
      resolve({ line: buf.subarray(0, nl).toString('utf8'), rest: buf.subarray(nl + 1) });
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.once('end', () => reject(new Error('control request ended early')));
  });
}

function frame(kind: number, payload: Uint8Array): Buffer {
  const head = Buffer.alloc(5);
  head[0] = kind;
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
}

async function handle(engine: Engine, socket: Socket): Promise<void> {
  socket.on('error', () => {});
  let req: Request;
  let rest: Buffer;
  try {
    const got = await readRequest(socket);
    req = JSON.parse(got.line) as Request;
    rest = got.rest;
  } catch {
    socket.destroy();
    return;
  }
  const answer = (o: unknown): void => void socket.end(JSON.stringify(o) + '\n');
  try {
    switch (req.op) {
      case 'kill':
        await engine.kill(req.id, req.signal);
        return answer({ ok: true });
      case 'stats':
        return answer({ ok: await engine.stats(req.id) });
      case 'top':
        return answer({ ok: await engine.top(req.id) });
      case 'changes': {
        const tar = (await diffToLayer(await engine.changes(req.id))).bytes;
        socket.write(JSON.stringify({ size: tar.length }) + '\n');
        socket.end(tar);
        return;
      }
      case 'copy': {
        // framed like exec: the tar of `cp CONTAINER:SRC -` as stdout frames, then the end
        await runCopy(
          engine,
          { ...req.request, ref: req.id },
          {
            input: inputOf(socket, rest),
            output: (b) => void socket.write(frame(FRAME_STDOUT, b)),
          },
        );
        socket.end(frame(FRAME_EXIT, Buffer.from(JSON.stringify({ code: 0 }))));
        return;
      }
      case 'exec': {
        // without -i the process's stdin is closed (and a terminal is not hung up)
        const stdin = req.stdin ? inputOf(socket, rest) : null;
        const p = await engine.exec(
          req.id,
          {
            cmd: req.process.args,
            env: req.process.env,
            workdir: req.process.cwd,
            user: req.process.user,
            tty: req.process.terminal,
          },
          {
            stdin,
            stdout: (b) => void socket.write(frame(FRAME_STDOUT, b)),
            stderr: (b) => void socket.write(frame(FRAME_STDERR, b)),
            ...(req.tty ? { tty: req.tty } : {}),
          },
        );
        const code = await p.wait();
        socket.end(frame(FRAME_EXIT, Buffer.from(JSON.stringify({ code }))));
        return;
      }
    }
  } catch (e) {
    const message = (e as Error).message;
    if (req.op === 'exec' || req.op === 'copy')
      socket.end(
        frame(
          FRAME_EXIT,
          Buffer.from(
            JSON.stringify({
              error: message,
              name: (e as Error).name,
              exitCode: (e as { exitCode?: number }).exitCode,
            }),
          ),
        ),
      );
    else answer({ error: message, name: (e as Error).name });
  }
}

/**
 * What the client sends after its request line, until it half-closes. (Iterating the
 * socket itself would destroy it at the end of input, and with it our side's output.)
 */
async function* inputOf(socket: Socket, first: Buffer): AsyncIterable<Uint8Array> {
  const queue: Uint8Array[] = first.length > 0 ? [new Uint8Array(first)] : [];
  let ended = false;
  let wake: (() => void) | null = null;
  socket.on('data', (b: Buffer) => {
    queue.push(new Uint8Array(b));
    wake?.();
  });
  const end = (): void => {
    ended = true;
    wake?.();
  };
  socket.once('end', end);
  socket.once('close', end);
  socket.resume();
  for (;;) {
    while (queue.length > 0) yield queue.shift()!;
    if (ended) return;
    await new Promise<void>((r) => (wake = r));
    wake = null;
  }
}

/** Send `input` after the request line, then half-close (null: half-close at once). */
async function streamInput(s: Socket, input: AsyncIterable<Uint8Array> | null): Promise<void> {
  if (input !== null) {
    try {
      for await (const b of input) s.write(b);
    } catch {
      // the input failed: end it
    }
  }
  s.end();
}

/** The owner's frames to `out` until the socket closes: the exit code, or its error. */
function readFrames(
  s: Socket,
  out: { stdout(b: Uint8Array): void; stderr(b: Uint8Array): void },
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let buf = Buffer.alloc(0);
    let result: number | Error = new Error('the owning berth process went away');
    s.on('data', (b: Buffer) => {
      buf = Buffer.concat([buf, b]);
      while (buf.length >= 5) {
        const len = buf.readUInt32BE(1);
        if (buf.length < 5 + len) break;
        const kind = buf[0];
        const payload = new Uint8Array(buf.subarray(5, 5 + len));
        buf = buf.subarray(5 + len);
        if (kind === FRAME_STDOUT) out.stdout(payload);
        else if (kind === FRAME_STDERR) out.stderr(payload);
        else if (kind === FRAME_EXIT) {
          const o = JSON.parse(Buffer.from(payload).toString('utf8')) as {
            code?: number;
            error?: string;
            name?: string;
            exitCode?: number;
          };
          result = o.error !== undefined ? new RemoteError(o.error, o.name ?? 'Error', o.exitCode) : o.code!;
        }
      }
    });
    s.on('close', () => (typeof result === 'number' ? resolve(result) : reject(result)));
    s.on('error', () => {});
  });
}

/** An error from the owner, as its class name and message. */
export class RemoteError extends BerthError {
  constructor(
    message: string,
    readonly remoteName: string,
    readonly exitCode?: number,
  ) {
    super(message);
  }
}

function connect(address: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createConnection({ path: address, allowHalfOpen: true });
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

async function call<T>(address: string, req: Request): Promise<T> {
  const s = await connect(address);
  s.write(JSON.stringify(req) + '\n');
  const chunks: Buffer[] = [];
  for await (const b of s) chunks.push(b as Buffer);
  const o = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { ok?: T; error?: string; name?: string };
  if (o.error !== undefined) throw new RemoteError(o.error, o.name ?? 'Error');
  return o.ok as T;
}

/** The Engine's Remote over the owners' sockets; `id` travels in the address. */
export class SocketRemote implements Remote {
  private static split(address: string): { path: string; id: string } {
    const at = address.lastIndexOf('#');
    return { path: address.slice(0, at), id: address.slice(at + 1) };
  }

  kill(address: string, signal: number): Promise<void> {
    const { path, id } = SocketRemote.split(address);
    return call(path, { op: 'kill', id, signal });
  }
  stats(address: string): Promise<ContainerStats> {
    const { path, id } = SocketRemote.split(address);
    return call(path, { op: 'stats', id });
  }
  top(address: string): Promise<ProcessRow[]> {
    const { path, id } = SocketRemote.split(address);
    return call(path, { op: 'top', id });
  }

  async changes(address: string): Promise<Uint8Array> {
    const { path, id } = SocketRemote.split(address);
    const s = await connect(path);
    s.write(JSON.stringify({ op: 'changes', id }) + '\n');
    const chunks: Buffer[] = [];
    for await (const b of s) chunks.push(b as Buffer);
    const all = Buffer.concat(chunks);
    const nl = all.indexOf(10);
    const head = JSON.parse(all.subarray(0, nl).toString('utf8')) as {
      size?: number;
      error?: string;
      name?: string;
    };
    if (head.error !== undefined) throw new RemoteError(head.error, head.name ?? 'Error');
    return new Uint8Array(all.subarray(nl + 1, nl + 1 + head.size!));
  }

  /** `berth cp` done by the process that owns the container (see copy-command.ts). */
  async copy(address: string, request: CopyRequest, io: CopyStreams): Promise<void> {
    const { path, id } = SocketRemote.split(address);
    const s = await connect(path);
    s.write(JSON.stringify({ op: 'copy', id, request }) + '\n');
    void streamInput(s, request.direction === 'in' && request.hostPath === '-' ? (io.input ?? null) : null);
    await readFrames(s, { stdout: (b) => io.output?.(b), stderr: () => {} });
  }

  async exec(address: string, p: ProcessSpec, stdio: Stdio): Promise<ExecProcess> {
    const { path, id } = SocketRemote.split(address);
    const s = await connect(path);
    s.write(
      JSON.stringify({
        op: 'exec',
        id,
        process: p,
        stdin: stdio.stdin !== null,
        ...(stdio.tty ? { tty: stdio.tty } : {}),
      }) + '\n',
    );
    void streamInput(s, stdio.stdin);
    const done = readFrames(s, stdio);
    return { wait: () => done };
  }
}
