/**
 * How one berth process reaches the containers another one owns (the Engine's Remote):
 * the owner listens on an abstract unix socket named after the root and its pid (no file
 * to clean up; it vanishes with the process). A request is one JSON line; the answer is
 * one JSON line, except for:
 *   changes  a JSON line {size}, then that many bytes (a layer tar)
 *   exec     frames [kind u8][length u32 BE][payload] — 1 stdout, 2 stderr, 3 the exit
 *            (JSON {code} or {error}) — while the client's bytes after its request
 *            line are the process's stdin (half-close = end of input)
 *   copy     `berth cp` done here (copy-command.ts), framed like exec
 * The protocol's pieces are in control-protocol.ts, the client in control-client.ts.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { diffToLayer } from '../layers/diff.js';
import type { Engine } from '../runtime/engine.js';
import { ChunkQueue } from './chunk-queue.js';
import { runCopy } from './copy-command.js';
import { FRAME_EXIT, FRAME_STDERR, FRAME_STDOUT, frame, type Request } from './control-protocol.js';

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

/** What the client sends after its request line, until it half-closes. */
function inputOf(socket: Socket, first: Buffer): AsyncIterable<Uint8Array> {
  const input = new ChunkQueue();
  if (first.length > 0) input.push(new Uint8Array(first));
  socket.on('data', (b: Buffer) => input.push(new Uint8Array(b)));
  socket.once('end', () => input.end());
  socket.once('close', () => input.end());
  socket.resume();
  return input;
}
