/**
 * Rootless operation of the Linux backend, the way rootless podman does it: a non-root
 * user's berth runs itself again inside a new user namespace and mount namespace
 * (`unshare --user --map-root-user --mount`). There berth is uid 0 — the user's own uid
 * mapped to root, followed by the user's subordinate ids from /etc/subuid and
 * /etc/subgid when it has some (through the setuid newuidmap/newgidmap) — so the Linux
 * backend's code runs unchanged: layers unpacked with their owners, overlay mounts (they
 * live in that private mount namespace), runc. What needs the host's root does not
 * work there (cgroups without delegation: see src/linux/userns.ts and linux-runtime.ts).
 *
 * Only commands that may touch a Linux container enter it: `run`/`create --backend
 * linux`, and the container verbs once the root holds Linux containers. Processes that
 * berth starts from inside (`__serve` for -d) inherit the namespaces.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { constants, userInfo } from 'node:os';
import { join } from 'node:path';
import { findOnPath } from '../linux/tool.js';
import { backendFlag } from './container-flags.js';
import { berthBin } from './detach.js';

/** Verbs that may open the Linux backend for an existing container. */
const CONTAINER_VERBS = new Set([
  'start',
  'stop',
  'kill',
  'rm',
  'exec',
  'diff',
  'top',
  'stats',
  'cp',
  'commit',
  'system',
]);

/** The inner berth tells the outer one on this fd that the namespace was made. */
const READY_ENV = 'BERTH_USERNS_READY_FD';

/** Whether this command (`rest`: the verb and its arguments) must run in a user namespace. */
export function needsUserNamespace(rest: string[], root: string): boolean {
  if (process.platform !== 'linux' || process.getuid?.() === 0) return false;
  const [verb, ...args] = rest;
  if (verb === 'run' || verb === 'create') return backendFlag(args) === 'linux';
  if (!CONTAINER_VERBS.has(verb ?? '')) return false;
  try {
    return readdirSync(join(root, 'linux', 'containers')).length > 0;
  } catch {
    return false;
  }
}

/** A user's first range in /etc/subuid or /etc/subgid (by name or number). */
export function subordinateRange(
  file: string,
  user: string,
  id: number,
): { start: number; count: number } | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const [who, start, count] = line.trim().split(':');
    if ((who === user || who === String(id)) && Number(count) > 0)
      return { start: Number(start), count: Number(count) };
  }
  return undefined;
}

/** unshare's mapping flags: the user as root, then its subordinate ids where it has both kinds. */
function mappingArgs(): string[] {
  const me = userInfo();
  const uids = subordinateRange('/etc/subuid', me.username, me.uid);
  const gids = subordinateRange('/etc/subgid', me.username, me.uid);
  const helpers = findOnPath('newuidmap') && findOnPath('newgidmap');
  if (!uids || !gids || !helpers) return ['--map-root-user'];
  return [
    '--map-root-user',
    `--map-users=${uids.start},1,${uids.count}`,
    `--map-groups=${gids.start},1,${gids.count}`,
  ];
}

/**
 * Run berth with `argv` again inside a new user and mount namespace; resolves to its
 * exit code (125 with a message when no namespace could be made).
 */
export function enterUserNamespace(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const unshare = findOnPath('unshare');
  if (unshare === undefined) {
    process.stderr.write(
      "berth: the Linux backend as a non-root user needs util-linux's 'unshare' to enter a user namespace\n",
    );
    return Promise.resolve(125);
  }
  const args = ['--user', ...mappingArgs(), '--mount', '--', process.execPath, berthBin(), ...argv];
  const child = spawn(unshare, args, {
    stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
    env: { ...env, [READY_ENV]: '3' },
  });
  let ready = false;
  child.stdio[3]!.on('data', () => (ready = true));
  // ^C reaches the whole foreground process group, the inner berth included; others are passed on
  const pass = (sig: NodeJS.Signals) => () => void child.kill(sig);
  const handlers: [NodeJS.Signals, () => void][] = [
    ['SIGINT', () => {}],
    ['SIGTERM', pass('SIGTERM')],
    ['SIGHUP', pass('SIGHUP')],
  ];
  for (const [sig, h] of handlers) process.on(sig, h);
  return new Promise((resolve) => {
    child.on('error', (e) => {
      process.stderr.write(`berth: cannot run ${unshare}: ${e.message}\n`);
      resolve(125);
    });
    child.on('exit', (code, signal) => {
      for (const [sig, h] of handlers) process.off(sig, h);
      child.stdio[3]!.destroy(); // a process the inner berth started may hold its end
      if (!ready) {
        process.stderr.write(
          'berth: the Linux backend as a non-root user runs in a user namespace, and none could be made ' +
            '(see the message above; user namespaces may be disabled: /proc/sys/user/max_user_namespaces, ' +
            'kernel.unprivileged_userns_clone, AppArmor)\n',
        );
        resolve(125);
        return;
      }
      const n = signal === null ? 0 : ((constants.signals as Record<string, number>)[signal] ?? 0);
      resolve(code ?? 128 + n);
    });
  });
}

/**
 * In the inner berth: tell the outer one the namespace is made, and die with it. The
 * outer berth is the process the user started and may kill (SIGKILL included): the inner
 * one then goes the same way, leaving a Dead container as a killed root berth does.
 */
export function signalUserNamespaceReady(env: NodeJS.ProcessEnv): void {
  const fd = Number(env[READY_ENV]);
  if (!Number.isInteger(fd) || fd < 3) return;
  delete env[READY_ENV]; // not for the processes this one starts
  let link: Socket;
  try {
    link = new Socket({ fd, readable: true, writable: true });
  } catch {
    return; // not started by an outer berth after all
  }
  link.on('error', () => {});
  link.write('ok\n');
  link.on('close', () => process.kill(process.pid, 'SIGKILL'));
  link.resume();
  link.unref();
}
