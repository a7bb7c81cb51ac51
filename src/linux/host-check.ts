/**
 * What the Linux backend needs from the host, checked up front so a missing piece is
 * named instead of surfacing as an obscure mount or runtime failure.
 */
import { existsSync, readFileSync } from 'node:fs';
import { chooseRuntime } from './oci-runtime.js';
import { findOnPath } from './tool.js';

export class LinuxHostError extends Error {
  constructor(readonly problems: string[]) {
    super(`the Linux backend cannot run on this host: ${problems.join('; ')}`);
  }
}

export interface HostTools {
  mount: string;
  umount: string;
  mknod: string;
  setfattr: string;
  /** iproute2's ip, for bringing up lo in a container's network namespace (optional). */
  ip?: string;
  /** util-linux's nsenter, for the same where a pids limit is set (optional). */
  nsenter?: string;
  /** util-linux's script and coreutils' stty: a host terminal for -t (optional). */
  script?: string;
  stty?: string;
}

export interface HostCheck {
  /** Empty when the backend can run. */
  problems: string[];
  /** Things that work but less well (no loopback interface, …). */
  warnings: string[];
  tools: Partial<HostTools>;
}

function overlayAvailable(): boolean {
  try {
    return /\boverlay\b/.test(readFileSync('/proc/filesystems', 'utf8'));
  } catch {
    return false;
  }
}

/** `path` replaces the command search path (tests use it to simulate missing tools). */
export function checkLinuxHost(options: { path?: string } = {}): HostCheck {
  const find = (name: string): string | undefined => findOnPath(name, options.path);
  const problems: string[] = [];
  const warnings: string[] = [];
  if (process.platform !== 'linux') problems.push(`Linux is required (this is ${process.platform})`);
  if (process.getuid?.() !== 0)
    problems.push(
      "root is required, or a user namespace where berth is root (berth's CLI enters one for a non-root user)",
    );
  if (process.platform === 'linux' && !overlayAvailable()) {
    problems.push("the kernel's overlay filesystem is missing (modprobe overlay)");
  }
  if (process.platform === 'linux' && !existsSync('/sys/fs/cgroup'))
    problems.push('no cgroup filesystem at /sys/fs/cgroup');
  const tools: Partial<HostTools> = {};
  const need: [keyof HostTools, string][] = [
    ['mount', 'mount (util-linux)'],
    ['umount', 'umount (util-linux)'],
    ['mknod', 'mknod (coreutils)'],
    ['setfattr', 'setfattr (the attr package)'],
  ];
  for (const [name, what] of need) {
    const p = find(name);
    if (p) tools[name] = p;
    else problems.push(`the '${name}' command is missing: install ${what}`);
  }
  tools.ip = find('ip');
  tools.nsenter = find('nsenter');
  if (!tools.ip) warnings.push("without 'ip' (iproute2) a container's loopback interface stays down");
  else if (!tools.nsenter) {
    warnings.push(
      "without 'nsenter' (util-linux) the loopback interface of a container with a pids limit stays down",
    );
  }
  tools.script = find('script');
  tools.stty = find('stty');
  if (!tools.script || !tools.stty)
    warnings.push("without 'script' (util-linux) and 'stty' (coreutils) -t cannot allocate a terminal");
  const runtime = options.path === undefined ? chooseRuntime() : find('runc') || find('crun') ? true : null;
  if (process.platform === 'linux' && runtime === null) {
    problems.push(
      find('crun')
        ? 'crun cannot run on this hybrid cgroup host and runc is missing: install runc'
        : 'no OCI runtime: install crun or runc',
    );
  }
  return { problems, warnings, tools };
}
