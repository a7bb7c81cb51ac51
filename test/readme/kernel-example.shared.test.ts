// The README's kernel example, run as written (in Node and in Chromium).
import { expect, it } from 'vitest';
import { createContainer } from '../../src/kernel/container.js';
import { Kernel } from '../../src/kernel/proc/kernel.js';
import { platform } from '../../src/platform.js';
import { OverlayFs } from '../../src/vfs/index.js';
import { probeBytes, probeRoot } from '../kernel/proc/helpers.js';

it('creates a container with limits, runs PID 1 and reads its stats and events', async () => {
  const image = await probeRoot();
  const probeWasm = await probeBytes();
  const events: string[] = [];

  const kernel = new Kernel({ workers: platform().workers() });
  kernel.on((e) => events.push(e.type));
  const out: string[] = [];
  const stdout = {
    type: 'stdio' as const,
    write: (b: Uint8Array) => void out.push(new TextDecoder().decode(b.slice())),
  };

  const box = createContainer(kernel, {
    rootfs: new OverlayFs([image.root]),
    hostname: 'web',
    limits: { memoryBytes: 64 << 20, pids: 32, cpuQuotaUs: 50_000, cpuPeriodUs: 100_000 },
  });
  const init = await box.start({
    program: probeWasm,
    argv: ['/bin/probe', 'ids'],
    fds: [undefined, stdout, stdout],
  });
  expect(await init.exited).toEqual({ code: 0 });
  expect(out.join('')).toBe('pid 1\nppid 0\nuid 0\ngid 0\nhostname web\nsysname Linux\n');
  expect(init.hostPid).toBeGreaterThan(1);
  const stats = box.stats();
  expect(stats.memoryMax).toBe(64 << 20);
  expect(stats.pidsMax).toBe(32);
  expect(stats.oomKills).toBe(0);
  expect(events).toEqual(['start', 'exit']);
  kernel.shutdown();
});
