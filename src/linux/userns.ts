/**
 * Whether this process runs in a user namespace (rootless operation: berth's CLI enters
 * one for a non-root user, see src/cli/rootless.ts) and which ids it maps. There, berth
 * is uid 0 but not the host's root: overlayfs reads `user.overlay.*` xattrs (mounted with
 * `userxattr`, since `trusted.*` needs the host's root), no cgroup can be made without
 * delegation, and only mapped ids can own files or run processes.
 */
import { readFileSync } from 'node:fs';

export interface IdRange {
  /** First id inside the namespace. */
  inside: number;
  /** First id outside (in the parent namespace). */
  outside: number;
  count: number;
}

/** The ranges of /proc/self/{uid,gid}_map. */
export function idMap(kind: 'uid' | 'gid'): IdRange[] {
  let text: string;
  try {
    text = readFileSync(`/proc/self/${kind}_map`, 'utf8');
  } catch {
    return [{ inside: 0, outside: 0, count: 2 ** 32 - 1 }];
  }
  return text
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number))
    .filter((f) => f.length === 3 && f.every(Number.isFinite))
    .map(([inside, outside, count]) => ({ inside: inside!, outside: outside!, count: count! }));
}

let cached: boolean | undefined;

/** In a user namespace other than the initial one (whose map is the whole 32-bit range). */
export function inUserNamespace(): boolean {
  if (cached !== undefined) return cached;
  const map = idMap('uid');
  cached = !(
    map.length === 1 &&
    map[0]!.inside === 0 &&
    map[0]!.outside === 0 &&
    map[0]!.count === 2 ** 32 - 1
  );
  return cached;
}

/** Whether `id` exists in this namespace's map. */
export function isMapped(kind: 'uid' | 'gid', id: number): boolean {
  return idMap(kind).some((r) => id >= r.inside && id < r.inside + r.count);
}

/**
 * The supplementary groups a process here can be given: the mapped ones, and none where
 * setgroups(2) is denied (a user namespace mapped without newgidmap).
 */
export function settableGroups(gids: number[]): number[] {
  try {
    if (readFileSync('/proc/self/setgroups', 'utf8').trim() === 'deny') return [];
  } catch {
    // older kernels: no such file, setgroups allowed
  }
  return gids.filter((g) => isMapped('gid', g));
}

/** The xattr prefix overlayfs reads here: `trusted.overlay.`, or in a user namespace `user.overlay.`. */
export function overlayXattrPrefix(): string {
  return inUserNamespace() ? 'user.overlay.' : 'trusted.overlay.';
}

/** Podman's words for an id a user namespace cannot hold, with the way out. */
export function unmappedIdMessage(what: string): string {
  return (
    `potentially insufficient UIDs or GIDs available in user namespace (${what}): ` +
    'berth runs rootless in a user namespace that maps only the ids in /etc/subuid and ' +
    '/etc/subgid (besides your own, as root); add a range for your user there (e.g. ' +
    '`usermod --add-subuids 100000-165535 --add-subgids 100000-165535 USER`)'
  );
}
