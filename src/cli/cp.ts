/**
 * `berth cp [-L] CONTAINER:SRC HOSTDEST|-` and `berth cp [-L] HOSTSRC|- CONTAINER:DEST`:
 * Docker's cp rules (a directory copies into an existing one or becomes the new name;
 * SRC/. copies the contents; '-' is a tar on stdin/stdout). Paths inside the container
 * resolve within its root, so a symlink there cannot reach the host.
 */
import { inUserNamespace } from '../linux/userns.js';
import { absoluteHostPath, runCopy, type CopyRequest } from '../node/copy-command.js';
import { SocketRemote } from '../node/control-client.js';
import { bool, parseVerbArgs } from './args.js';
import type { CliContext, VerbInfo } from './context.js';
import { UsageError } from './errors.js';

const USAGE = `Usage:  berth cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-
        berth cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH

Copy files/folders between a container and the local filesystem

Use '-' as the source to read a tar archive from stdin and extract it to a
directory destination in a container. Use '-' as the destination to stream a
tar archive of a container source to stdout.

Options:
  -L, --follow-link   Always follow symbol link in SRC_PATH
`;

function containerPart(arg: string): { ref: string; path: string } | undefined {
  const colon = arg.indexOf(':');
  if (colon <= 0 || arg.startsWith('/') || arg.startsWith('.')) return undefined;
  return { ref: arg.slice(0, colon), path: arg.slice(colon + 1) || '/' };
}

async function run(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseVerbArgs('cp', argv, { 'follow-link': { type: 'boolean', short: 'L' } });
  if (bool(p, 'help')) {
    ctx.stdout.write(USAGE);
    return 0;
  }
  if (p.positionals.length !== 2) throw new UsageError('"berth cp" requires exactly 2 arguments.', 'cp');
  const [src, dest] = p.positionals as [string, string];
  const from = containerPart(src);
  const to = containerPart(dest);
  if (from && to) throw new UsageError('copying between containers is not supported', 'cp');
  if (!from && !to) throw new UsageError('must specify at least one container source', 'cp');
  const ne = await ctx.engine();
  const side = (from ?? to)!;
  const request: CopyRequest = {
    ref: side.ref,
    direction: from ? 'out' : 'in',
    containerPath: side.path,
    hostPath: absoluteHostPath(from ? dest : src),
    followLink: bool(p, 'follow-link'),
  };
  const io = { input: ctx.stdin, output: (b: Uint8Array) => void ctx.stdout.write(b) };
  // an emulated container another berth process runs: that process does the copy; so
  // does a rootless Linux one's, whose root is mounted only in that process's namespace
  const r = await ne.engine.inspect(side.ref);
  if (
    (r.backend === 'emulated' || inUserNamespace()) &&
    r.state.status === 'running' &&
    !ne.engine.runsHere(r.id) &&
    r.state.control
  )
    await new SocketRemote().copy(r.state.control, request, io);
  else await runCopy(ne.engine, request, io);
  return 0;
}

export const cp: VerbInfo = {
  name: 'cp',
  summary: 'Copy files/folders between a container and the local filesystem',
  run,
};
