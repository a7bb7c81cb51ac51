/**
 * Suspended processes (src/kernel/proc/suspend.ts): berth's sh and toolbox are asyncify'd,
 * so a call parked longer than `suspendAfterMs` gives its worker back, and the process is
 * continued in any worker when the call completes. Node and Chromium.
 */
import toolboxUrl from '../../../wasm/build/toolbox.wasm?url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Kernel } from '../../../src/kernel/proc/kernel.js';
import type { Process } from '../../../src/kernel/proc/process.js';
import { Signal } from '../../../src/kernel/proc/signals.js';
import { platform } from '../../../src/platform.js';
import type { MemFs } from '../../../src/vfs/memfs.js';
import { fixtureBytes } from '../../support/fixture.js';
import { shBytes, userlandRoot } from '../../userland/helpers.js';
import { collector } from './helpers.js';

let kernel: Kernel;
let root: MemFs;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeEach(async () => {
  kernel = new Kernel({ workers: platform().workers(), suspendAfterMs: 50 });
  root = await userlandRoot();
  const toolbox = await fixtureBytes(toolboxUrl);
  for (const applet of ['sleep', 'cat', 'echo']) root.writeFile(`/bin/${applet}`, toolbox, { mode: 0o755 });
});
afterEach(() => kernel.shutdown());

async function sh(script: string) {
  const out = collector();
  const err = collector();
  const proc = await kernel.spawn({
    program: await shBytes(),
    argv: ['sh', '-c', script],
    env: { PATH: '/bin' },
    root,
    fds: [undefined, out.entry, err.entry],
  });
  return { proc, stdout: out.text, stderr: err.text };
}

/** Wait until `test` holds, polling (suspension follows a timer and a worker message). */
async function until(test: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(10);
  }
}

const suspended = (p: Process) => p.suspension === 'suspended' && p.worker === null;

describe('suspended processes', () => {
  it('gives the worker back while a shell waits for its sleeping child, and carries on after', async () => {
    const r = await sh('x=before; sleep 1; f() { echo "$1 $x"; }; f after');
    await until(() => kernel.processes.size === 2 && [...kernel.processes.values()].every(suspended));
    expect(await r.proc.exited).toEqual({ code: 0 });
    expect(r.stdout()).toBe('after before\n');
    expect(r.stderr()).toBe('');
  });

  it('suspends and resumes one process many times (globals, data and stack survive)', async () => {
    const r = await sh('i=0; for n in 1 2 3 4 5 6; do sleep 0.1; i=$((i+n)); echo "$i"; done; echo end');
    expect(await r.proc.exited).toEqual({ code: 0 });
    expect(r.stdout()).toBe('1\n3\n6\n10\n15\n21\nend\n');
  });

  it('resumes a reader suspended on an empty pipe when data arrives', async () => {
    const r = await sh('(sleep 0.4; echo piped; sleep 0.2; echo twice) | cat');
    await until(() => [...kernel.processes.values()].some((p) => p.argv[0] === 'cat' && suspended(p)));
    expect(await r.proc.exited).toEqual({ code: 0 });
    expect(r.stdout()).toBe('piped\ntwice\n');
  });

  it('resumes a suspended shell for a caught signal, which then suspends again', async () => {
    const r = await sh('trap "echo got TERM" TERM; sleep 30; echo "sleep: $?"');
    const all = () => [...kernel.processes.values()];
    await until(() => all().length === 2 && all().every(suspended));
    // the handler runs at once in a worker (the trap's command after the foreground job, as in ash)
    kernel.signal(r.proc, Signal.SIGTERM);
    expect(suspended(r.proc)).toBe(false);
    await until(() => suspended(r.proc));
    kernel.kill(
      all().find((p) => p.argv[0] === 'sleep')!,
      Signal.SIGKILL,
    );
    expect(await r.proc.exited).toEqual({ code: 0 });
    expect(r.stdout()).toBe('got TERM\nsleep: 137\n');
  });

  it('kills a suspended process without a worker', async () => {
    const r = await sh('sleep 30');
    await until(() => suspended(r.proc));
    kernel.kill(r.proc, Signal.SIGKILL);
    expect(await r.proc.exited).toEqual({ signal: Signal.SIGKILL });
  });

  it('keeps many idle processes on a few workers', async () => {
    const procs = await Promise.all(Array.from({ length: 40 }, () => sh('sleep 30')));
    await until(() => [...kernel.processes.values()].every(suspended), 10000);
    expect(kernel.workerCount).toBeLessThanOrEqual(2); // the pool; every other thread ended
    for (const r of procs) kernel.kill(r.proc, Signal.SIGKILL);
    for (const r of procs) expect(await r.proc.exited).toEqual({ signal: Signal.SIGKILL });
  });
});
