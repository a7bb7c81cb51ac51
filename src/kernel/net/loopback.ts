/**
 * Loopback networking, per network namespace: stream sockets on 127.0.0.1 between
 * processes of the same namespace. A listening socket is a port in its namespace's table;
 * a connection is a pair of pipes. A process in another network namespace (another
 * container) cannot reach the port — each container has only its own loopback. There is
 * no other network: nothing leaves the kernel.
 */
import type { Namespace } from '../ns/namespace.js';
import { WaitQueue, WouldBlock } from '../wasi/blocking.js';
import { Filetype, type Entry, type StdioEntry } from '../wasi/host.js';
import { Pipe } from '../proc/pipe.js';

export class SocketError extends Error {
  constructor(readonly code: 'EADDRINUSE' | 'ECONNREFUSED' | 'EINVAL') {
    super(code);
  }
}

interface Listener {
  pending: Entry[];
  queue: WaitQueue;
  backlog: number;
}

const tables = new WeakMap<Namespace, Map<number, Listener>>();

function table(net: Namespace): Map<number, Listener> {
  let t = tables.get(net);
  if (t === undefined) tables.set(net, (t = new Map()));
  return t;
}

/** One end of a connection: reads what the other end writes. */
function end(rx: Pipe, tx: Pipe): StdioEntry {
  const r = rx.readEnd();
  const w = tx.writeEnd();
  return {
    type: 'stdio',
    filetype: Filetype.SOCKET_STREAM,
    read: r.read,
    write: w.write,
    readable: r.readable,
    writable: w.writable,
    queue: rx.queue,
    close: () => {
      r.close?.();
      w.close?.();
    },
  };
}

/** listen(2) on 127.0.0.1:`port` of namespace `net`: the listening socket's fd entry. */
export function listen(net: Namespace, port: number, backlog = 128): StdioEntry {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new SocketError('EINVAL');
  const t = table(net);
  if (t.has(port)) throw new SocketError('EADDRINUSE');
  const l: Listener = { pending: [], queue: new WaitQueue(), backlog };
  t.set(port, l);
  return {
    type: 'stdio',
    filetype: Filetype.SOCKET_STREAM,
    readable: () => l.pending.length > 0,
    queue: l.queue,
    accept: () => {
      const c = l.pending.shift();
      if (c === undefined) throw new WouldBlock([l.queue]);
      return c;
    },
    close: () => {
      if (t.get(port) === l) t.delete(port);
      for (const c of l.pending.splice(0)) if (c.type === 'stdio') c.close?.();
    },
  };
}

/** connect(2) to 127.0.0.1:`port` of namespace `net`: the client's fd entry. */
export function connect(net: Namespace, port: number): StdioEntry {
  const l = table(net).get(port);
  if (l === undefined || l.pending.length >= l.backlog) throw new SocketError('ECONNREFUSED');
  const toServer = new Pipe();
  const toClient = new Pipe();
  l.pending.push(end(toServer, toClient));
  l.queue.wakeAll();
  return end(toClient, toServer);
}

/** Ports listening in `net` (for /proc/net-like views and tests). */
export function listeningPorts(net: Namespace): number[] {
  return [...table(net).keys()].sort((a, b) => a - b);
}
