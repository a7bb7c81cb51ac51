/**
 * The Engine as a page (the playground) or a test uses it: an image store and container
 * records in memory, the emulated runtime, the base image built from wasm/. Runs in Node
 * and in Chromium: the core's container lifecycle needs nothing from Node.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import appletsDef from '../../wasm/toolbox/applets.def?raw';
import shUrl from '../../wasm/build/sh.wasm?url';
import toolboxUrl from '../../wasm/build/toolbox.wasm?url';
import { MemoryContentStore } from '../../src/content/memory-store.js';
import { ImageStore } from '../../src/images/image-store.js';
import { MemoryTagTable } from '../../src/images/tag-table.js';
import { Engine } from '../../src/runtime/engine.js';
import { EmulatedRuntime, toolboxTree } from '../../src/runtime/emulated-runtime.js';
import { MemoryRecordStore } from '../../src/runtime/records.js';
import type { Stdio } from '../../src/runtime/runtime.js';
import { parseAppletList } from '../../src/toolbox/applets.js';
import { ensureToolboxImage } from '../../src/toolbox/ensure.js';
import { buildToolboxLayout, TOOLBOX_IMAGE, WASI_PLATFORM } from '../../src/toolbox/image.js';
import { layoutFileSet } from '../../src/toolbox/layout-file-set.js';
import { fixtureBytes } from '../support/fixture.js';

const text = new TextDecoder();

/** Stdio that collects what the container writes. */
function capture(input?: string): Stdio & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdin:
      input === undefined
        ? null
        : (async function* () {
            yield new TextEncoder().encode(input);
          })(),
    stdout: (b) => void (out += text.decode(b)),
    stderr: (b) => void (err += text.decode(b)),
    out: () => out,
    err: () => err,
  };
}

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('timed out');
}

describe('the Engine on the emulated runtime (in memory)', () => {
  let engine: Engine;

  beforeEach(async () => {
    const store = new ImageStore(new MemoryContentStore(), new MemoryTagTable());
    const files = await buildToolboxLayout({
      wasm: { sh: await fixtureBytes(shUrl), toolbox: await fixtureBytes(toolboxUrl) },
      native: {
        sh: new Uint8Array([0x7f, 0x45, 0x4c, 0x46]),
        toolbox: new Uint8Array([0x7f, 0x45, 0x4c, 0x46]),
      },
      applets: parseAppletList(appletsDef),
    });
    const ensureToolbox = () => ensureToolboxImage(store, async () => layoutFileSet(files));
    engine = new Engine({
      store,
      records: new MemoryRecordStore(),
      ensureToolbox,
      runtimes: {
        emulated: () =>
          new EmulatedRuntime({
            toolbox: async () =>
              toolboxTree({
                content: store.content,
                image: await store.resolve(TOOLBOX_IMAGE, WASI_PLATFORM),
              }),
          }),
      },
    });
  });
  afterEach(async () => {
    await engine.close();
  });

  it('runs a container from the base image and keeps its record and logs', async () => {
    const io = capture();
    const started = await engine.run(
      { cmd: ['sh', '-c', 'echo hi; hostname; echo oops >&2; exit 3'], hostname: 'page', name: 'first' },
      io,
    );
    expect(await started.exit).toEqual({ exitCode: 3, oomKilled: false });
    expect(io.out()).toBe('hi\npage\n');
    expect(io.err()).toBe('oops\n');
    const r = await engine.inspect('first');
    expect(r.state).toMatchObject({ status: 'exited', exitCode: 3 });
    const logs = await engine.logs('first');
    expect(logs.map((e) => [e.stream, text.decode(e.bytes)])).toEqual([
      ['stdout', 'hi\n'],
      ['stdout', 'page\n'],
      ['stderr', 'oops\n'],
    ]);
    await engine.remove('first');
    expect(await engine.list({ all: true })).toEqual([]);
  });

  it('execs into a running container, lists its processes and stops it', async () => {
    const started = await engine.run(
      { cmd: ['sh', '-c', 'touch /tmp/ready; while true; do sleep 1; done'], name: 'long' },
      capture(),
    );
    await waitFor(async () =>
      (await engine.exec('long', { cmd: ['test', '-e', '/tmp/ready'] }, capture()))
        .wait()
        .then((c) => c === 0),
    );
    const io = capture('from stdin\n');
    const p = await engine.exec('long', { cmd: ['sh', '-c', 'cat; echo $$; echo $X'], env: ['X=exec'] }, io);
    expect(await p.wait()).toBe(0);
    expect(io.out()).toMatch(/^from stdin\n\d+\nexec\n$/);
    const top = await engine.top('long');
    expect(top.map((t) => t.command)).toContain('sh -c touch /tmp/ready; while true; do sleep 1; done');
    expect((await engine.stats('long')).pids).toBeGreaterThanOrEqual(1);
    await engine.stop('long', 0);
    expect((await started.exit).exitCode).toBe(137);
  });

  it('diffs, commits, and runs the committed image (its layers in order)', async () => {
    const first = await engine.run(
      { cmd: ['sh', '-c', 'echo one > /etc/motd; rm /etc/group; mkdir /opt'], name: 'c1' },
      capture(),
    );
    await first.exit;
    expect((await engine.diff('c1')).map((c) => `${c.kind} ${c.path}`)).toEqual([
      'C /etc',
      'D /etc/group',
      'A /etc/motd',
      'A /opt',
    ]);
    await engine.commit('c1', { reference: 'step:1' });
    // a second layer over the first: the upper one must win
    const second = await engine.run(
      { image: 'step:1', cmd: ['sh', '-c', 'echo two > /etc/motd'], name: 'c2' },
      capture(),
    );
    await second.exit;
    await engine.commit('c2', { reference: 'step:2' });
    const io = capture();
    const last = await engine.run(
      {
        image: 'step:2',
        cmd: ['sh', '-c', 'cat /etc/motd; ls /etc/group 2>&1; ls -d /opt'],
        autoRemove: true,
      },
      io,
    );
    expect((await last.exit).exitCode).toBe(0);
    expect(io.out()).toBe('two\nls: /etc/group: No such file or directory\n/opt\n');
  });

  it('starts an exited container again with its changes', async () => {
    const a = await engine.run(
      { cmd: ['sh', '-c', 'cat /count 2>/dev/null; echo again >> /count'], name: 'again' },
      capture(),
    );
    await a.exit;
    const io = capture();
    const b = await engine.start('again', io);
    await b.exit;
    expect(io.out()).toBe('again\n');
  });

  it('enforces the pids limit and names a command that cannot run', async () => {
    const io = capture();
    const s = await engine.run(
      { cmd: ['sh', '-c', 'for i in 1 2 3 4 5; do sleep 1 & done; wait'], pidsLimit: 3, autoRemove: true },
      io,
    );
    expect((await s.exit).exitCode).toBe(2);
    expect(io.err()).toBe("sh: can't fork: Resource temporarily unavailable\n");
    await expect(engine.run({ cmd: ['nosuch'], autoRemove: true }, capture())).rejects.toMatchObject({
      exitCode: 127,
    });
  });
});
