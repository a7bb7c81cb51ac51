/**
 * `berth cp [-L] CONTAINER:SRC HOSTDEST|-` and `berth cp [-L] HOSTSRC|- CONTAINER:DEST`:
 * Docker's cp rules (a directory copies into an existing one or becomes the new name;
 * SRC/. copies the contents; '-' is a tar on stdin/stdout). Paths inside the container
 * resolve within its root, so a symlink there cannot reach the host.
 */
import { HostFs } from '../node/host-fs.js';
import { copyIn, copyOut, copyPath } from '../runtime/copy.js';
import { dirname, resolve, basename } from 'node:path';
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

/** The host side as a filesystem rooted at its parent directory, and the name in it. */
function hostSide(path: string): { fs: HostFs; path: string } {
  const abs = resolve(path);
  const keepSlash = path.endsWith('/') || path.endsWith('/.') || path === '.';
  const suffix = path.endsWith('/.') || path === '.' ? '/.' : keepSlash ? '/' : '';
  if (abs === '/') return { fs: new HostFs('/'), path: `/${suffix === '/.' ? '.' : ''}` };
  return { fs: new HostFs(dirname(abs)), path: `/${basename(abs)}${suffix}` };
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
  const followLink = bool(p, 'follow-link');
  const { engine } = await ctx.engine();
  if (from) {
    await engine.withRoot(from.ref, async (fs) => {
      if (dest === '-') {
        for await (const chunk of copyOut(fs, from.path, { followLink })) ctx.stdout.write(chunk);
        return;
      }
      const host = hostSide(dest);
      try {
        await copyPath(fs, from.path, host.fs, host.path, { followLink });
      } finally {
        host.fs.close();
      }
    });
    return 0;
  }
  await engine.withRoot(to!.ref, async (fs) => {
    if (src === '-') {
      await copyIn(fs, to!.path, ctx.stdin);
      return;
    }
    const host = hostSide(src);
    try {
      await copyPath(host.fs, host.path, fs, to!.path, { followLink, owner: { uid: 0, gid: 0 } });
    } finally {
      host.fs.close();
    }
  });
  return 0;
}

export const cp: VerbInfo = {
  name: 'cp',
  summary: 'Copy files/folders between a container and the local filesystem',
  run,
};
