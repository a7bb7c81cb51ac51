/**
 * `berth cp` itself: between a container's root and a host path (or a tar stream, '-'),
 * by Docker's path rules (src/runtime/copy.ts). It runs in the process that holds the
 * container's root: the CLI's own, or — for an emulated container another berth process
 * owns — that process, reached over its control socket (src/node/control.ts). Host paths
 * travel absolute, with the trailing '/' or '/.' that changes their meaning kept.
 */
import { basename, dirname, resolve } from 'node:path';
import type { Engine } from '../runtime/engine.js';
import { copyIn, copyOut, copyPath } from '../runtime/copy.js';
import { HostFs } from './host-fs.js';

export interface CopyRequest {
  ref: string;
  /** out: container → host; in: host → container. */
  direction: 'out' | 'in';
  containerPath: string;
  /** Absolute (see absoluteHostPath), or '-' for a tar stream. */
  hostPath: string;
  followLink: boolean;
}

export interface CopyStreams {
  /** The tar of `cp - CONTAINER:DIR`. */
  input?: AsyncIterable<Uint8Array>;
  /** Where the tar of `cp CONTAINER:SRC -` goes. */
  output?: (bytes: Uint8Array) => void;
}

function suffixOf(path: string): string {
  if (path === '.' || path.endsWith('/.')) return '/.';
  return path.endsWith('/') ? '/' : '';
}

/** `path` made absolute from this process's cwd, its trailing '/' or '/.' kept. */
export function absoluteHostPath(path: string): string {
  if (path === '-') return path;
  const abs = resolve(path);
  const suffix = suffixOf(path);
  return abs === '/' ? `/${suffix === '/.' ? '.' : ''}` : `${abs}${suffix}`;
}

/** The host side as a filesystem rooted at its parent directory, and the name in it. */
function hostSide(abs: string): { fs: HostFs; path: string } {
  const suffix = suffixOf(abs);
  const bare = resolve(abs);
  if (bare === '/') return { fs: new HostFs('/'), path: `/${suffix === '/.' ? '.' : ''}` };
  return { fs: new HostFs(dirname(bare)), path: `/${basename(bare)}${suffix}` };
}

export async function runCopy(engine: Engine, r: CopyRequest, io: CopyStreams = {}): Promise<void> {
  const followLink = r.followLink;
  await engine.withRoot(r.ref, async (fs) => {
    if (r.hostPath === '-') {
      if (r.direction === 'out') {
        for await (const chunk of copyOut(fs, r.containerPath, { followLink })) io.output?.(chunk);
      } else await copyIn(fs, r.containerPath, io.input ?? emptyInput());
      return;
    }
    const host = hostSide(r.hostPath);
    try {
      if (r.direction === 'out') await copyPath(fs, r.containerPath, host.fs, host.path, { followLink });
      // as docker cp: what is copied in belongs to root
      else await copyPath(host.fs, host.path, fs, r.containerPath, { followLink, owner: { uid: 0, gid: 0 } });
    } finally {
      host.fs.close();
    }
  });
}

async function* emptyInput(): AsyncIterable<Uint8Array> {}
