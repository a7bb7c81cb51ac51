/**
 * The Linux backend under crun. crun has no `run --keep`, so berth holds the memory limit
 * in a parent cgroup of its own to see OOM kills; on a hybrid cgroup host (as the
 * project's machines) crun runs in a private mount namespace without the cgroup2 mount.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ImageContent } from '../../src/images/image-content.js';
import type { ImageStore } from '../../src/images/image-store.js';
import { cgroupLayout } from '../../src/linux/cgroups.js';
import { cleanupStale } from '../../src/linux/cleanup.js';
import { LinuxRuntime, type LinuxCreateOptions } from '../../src/linux/linux-runtime.js';
import { openImageStore } from '../../src/node/image-store.js';
import { describeWith } from '../support/requirements.js';
import { BUSYBOX_IMAGE, BUSYBOX_REQUIREMENT, importBusyboxImage } from './busybox-image.js';

let root: string;
let store: ImageStore;
let image: ImageContent;
let rt: LinuxRuntime;
const ids: string[] = [];

async function collect(s: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const c of s) out += c.toString();
  return out;
}

async function run(cmd: string[], o: Omit<LinuxCreateOptions, 'content' | 'image'> = {}) {
  const id = await rt.create({ content: store.content, image, ...o, cmd });
  ids.push(id);
  const io = await rt.start(id);
  io.stdin.end();
  const [stdout, stderr, status] = await Promise.all([collect(io.stdout), collect(io.stderr), rt.wait(id)]);
  await rt.delete(id);
  return { id, stdout, stderr, ...status };
}

describeWith(
  ['root', 'overlayfs', { tool: 'crun' }, { tool: 'unshare' }, BUSYBOX_REQUIREMENT],
  'LinuxRuntime (crun)',
  () => {
    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), 'berth-linux-crun-'));
      store = await openImageStore(root);
      await importBusyboxImage(store);
      image = await store.resolve(BUSYBOX_IMAGE);
      rt = LinuxRuntime.open(root, { runtime: 'crun' });
      console.log(`crun: ${rt.runtime.why}`);
    }, 60_000);

    afterAll(async () => {
      if (root === undefined) return;
      for (const id of ids) await rt.delete(id, { force: true }).catch(() => undefined);
      await cleanupStale(root);
      rmSync(root, { recursive: true, force: true });
    });

    it('runs a command with exit code, hostname and cgroup', async () => {
      const r = await run(
        ['sh', '-c', 'echo hi; hostname; cat /proc/self/cgroup; ip -o link show lo; exit 3'],
        {
          hostname: 'crunbox',
        },
      );
      expect(r.stderr).toBe('');
      expect(r.exitCode).toBe(3);
      expect(r.stdout).toMatch(/^hi\ncrunbox\n/);
      expect(r.stdout).toMatch(new RegExp(`memory:/berth/${r.id}/ctr$`, 'm'));
      expect(r.stdout).toMatch(/lo: <LOOPBACK,UP,LOWER_UP>/);
    });

    it('sees OOM kills through berth’s parent cgroup', async () => {
      const r = await run(
        ['sh', '-c', 'yes 0123456789012345678901234567890123456789 | head -n 4000000 | sort >/dev/null'],
        {
          memoryBytes: 20 * 1024 * 1024,
        },
      );
      expect([r.exitCode, r.oomKilled]).toEqual([137, true]);
      expect((await run(['true'], { memoryBytes: 20 * 1024 * 1024 })).oomKilled).toBe(false);
    }, 60_000);

    it('execs, reports stats and kills', async () => {
      const id = await rt.create({
        content: store.content,
        image,
        cmd: ['sleep', '30'],
        memoryBytes: 64 << 20,
        pidsLimit: 9,
      });
      ids.push(id);
      const io = await rt.start(id);
      io.stdin.end();
      io.stdout.resume();
      io.stderr.resume();
      const x = await rt.exec(id, { args: ['sh', '-c', 'echo exec; exit 4'] });
      x.stdin.end();
      const [out, code] = await Promise.all([collect(x.stdout), x.wait()]);
      expect([out, code]).toEqual(['exec\n', 4]);
      const st = rt.stats(id);
      expect([st.memoryLimit, st.pidsLimit, st.pids]).toEqual([64 << 20, 9, 1]);
      await rt.kill(id, 'KILL');
      expect(await rt.wait(id)).toEqual({ exitCode: 137, oomKilled: false });
      await rt.delete(id);
    }, 30_000);

    it('gives a terminal (-t): the pty crun makes, through the host terminal berth provides', async () => {
      const id = await rt.create({
        content: store.content,
        image,
        cmd: ['sh', '-c', 'test -t 0 && test -t 1 && echo tty; stty size; echo err >&2; exit 4'],
      });
      ids.push(id);
      const io = await rt.start(id, { tty: { rows: 30, cols: 100 } });
      const [stdout, stderr, status] = await Promise.all([
        collect(io.stdout),
        collect(io.stderr),
        rt.wait(id),
      ]);
      await rt.delete(id);
      expect({ stdout, stderr, status }).toEqual({
        stdout: 'tty\r\n30 100\r\nerr\r\n',
        stderr: '',
        status: { exitCode: 4, oomKilled: false },
      });
    });

    it('leaves no mounts, cgroups or state', () => {
      const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
        .split('\n')
        .filter((l) => l.includes(root));
      expect(mounts).toEqual([]);
      for (const id of ids) {
        expect(
          cgroupLayout()
            .mounts.map((m) => join(m.path, 'berth', id))
            .filter((d) => existsSync(d)),
        ).toEqual([]);
      }
      expect(readdirSync(join(root, 'linux', 'crun'))).toEqual([]);
    });

    it('times start-to-exit of true', async () => {
      const times: number[] = [];
      for (let i = 0; i < 10; i++) {
        const t0 = performance.now();
        await run(['true']);
        times.push(performance.now() - t0);
      }
      const median = [...times].sort((a, b) => a - b)[5]!.toFixed(1);
      console.log(`linux backend (crun): create+start+wait+delete of true, median ${median} ms`);
    }, 60_000);
  },
);
