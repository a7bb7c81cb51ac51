/**
 * The Engine's Remote (src/runtime/engine.ts) over the owners' control sockets
 * (control-server.ts): kill, stats, top, changes, exec with streamed stdio, and cp.
 */
import { createConnection, type Socket } from 'node:net';
import { BerthError } from '../errors.js';
import type { Remote } from '../runtime/engine.js';
import type { ContainerStats, ExecProcess, ProcessRow, Stdio } from '../runtime/runtime.js';
import type { ProcessSpec } from '../runtime/spec.js';
import type { CopyRequest, CopyStreams } from './copy-command.js';
import { FRAME_EXIT, FRAME_STDERR, FRAME_STDOUT, type Request } from './control-protocol.js';

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
