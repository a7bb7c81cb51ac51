/**
 * The root filesystem of berth's base image, as the entries of one layer: the shell and
 * the multi-call toolbox in /bin with a symlink per applet, the account files, /tmp and
 * /root. Fixed owners and times, so the same programs always give the same layer bytes.
 */
import type { TarWriteEntry } from '../tar/types.js';

export interface ToolboxPrograms {
  sh: Uint8Array;
  toolbox: Uint8Array;
}

/** Every file's mtime: the layer must not depend on when it was built. */
export const TOOLBOX_EPOCH_MS = Date.UTC(2026, 0, 1);

export const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n';
export const GROUP = 'root:x:0:\nnogroup:x:65534:\n';

export function toolboxEntries(programs: ToolboxPrograms, applets: readonly string[]): TarWriteEntry[] {
  const base = { uid: 0, gid: 0, uname: 'root', gname: 'root', mtimeMs: TOOLBOX_EPOCH_MS };
  const dir = (name: string, mode = 0o755): TarWriteEntry => ({
    header: { ...base, name, type: 'dir', mode },
  });
  const file = (name: string, body: Uint8Array, mode = 0o644): TarWriteEntry => ({
    header: { ...base, name, type: 'file', mode, size: body.length },
    body,
  });
  const text = (s: string): Uint8Array => new TextEncoder().encode(s);
  const entries = [
    dir('bin/'),
    file('bin/sh', programs.sh, 0o755),
    file('bin/toolbox', programs.toolbox, 0o755),
    ...[...applets]
      .filter((a) => a !== 'sh' && a !== 'toolbox')
      .sort()
      .map((a): TarWriteEntry => ({
        header: { ...base, name: `bin/${a}`, type: 'symlink', mode: 0o777, linkname: 'toolbox' },
      })),
    dir('etc/'),
    file('etc/group', text(GROUP)),
    file('etc/passwd', text(PASSWD)),
    dir('root/', 0o700),
    dir('tmp/', 0o1777),
  ];
  return entries;
}
