/**
 * `berth run` on the emulated backend: the built-in base image loaded on first use, the
 * image's command or the one given, exit codes, and --toolbox inside a linux/amd64 image
 * whose own ELF programs fail with "exec format error" naming their platform.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/node/platform.js';
import { sha256Of } from '../../src/oci/digest.js';
import { writeTar } from '../../src/tar/writer.js';
import type { TarWriteEntry } from '../../src/tar/types.js';
import { describeWith } from '../support/requirements.js';
import { assertBuilt, berth } from './support/run-cli.js';

let root: string;
let work: string;

/** A minimal x86-64 ELF header: enough for the kernel to know what it is. */
function fakeElf(): Uint8Array {
  const b = new Uint8Array(64);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  b[16] = 2; // ET_EXEC
  b[18] = 62; // EM_X86_64
  return b;
}

async function tarBytes(entries: TarWriteEntry[]): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of writeTar(entries)) parts.push(c.slice());
  return Buffer.concat(parts);
}

/** A docker-archive of a one-layer linux/amd64 image with an ELF /bin/ls, like a Debian's. */
async function elfImageArchive(): Promise<string> {
  const file = (name: string, body: Uint8Array, mode = 0o644): TarWriteEntry => ({
    header: { name, type: 'file', mode, size: body.length },
    body,
  });
  const layer = await tarBytes([
    { header: { name: 'bin/', type: 'dir', mode: 0o755 } },
    file('bin/ls', fakeElf(), 0o755),
    { header: { name: 'etc/', type: 'dir', mode: 0o755 } },
    file('etc/os-release', new TextEncoder().encode('PRETTY_NAME="Fake Linux 1"\n')),
  ]);
  const diffId = sha256Of(layer);
  const config = new TextEncoder().encode(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Env: ['PATH=/usr/bin:/bin'], Cmd: ['/bin/ls'] },
      rootfs: { type: 'layers', diff_ids: [diffId] },
    }),
  );
  const configName = `${sha256Of(config).slice(7)}.json`;
  const manifest = JSON.stringify([{ Config: configName, RepoTags: ['fake/elf:1'], Layers: ['layer.tar'] }]);
  const archive = await tarBytes([
    file('manifest.json', new TextEncoder().encode(manifest)),
    file(configName, config),
    file('layer.tar', layer),
  ]);
  const path = join(work, 'elf.tar');
  writeFileSync(path, archive);
  return path;
}

beforeAll(async () => {
  assertBuilt();
  root = mkdtempSync(join(tmpdir(), 'berth-run-'));
  work = mkdtempSync(join(tmpdir(), 'berth-run-work-'));
  expect(berth(root, ['load', '-i', await elfImageArchive()]).code).toBe(0);
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe('berth run (emulated)', () => {
  it('runs a command in the built-in base image, loading it on first use', () => {
    const r = berth(root, [
      'run',
      '--rm',
      'toolbox',
      'sh',
      '-c',
      'echo "$0 in $PWD as $(read l < /etc/passwd; echo ${l%%:*})"; exit 3',
    ]);
    expect(r).toEqual({ code: 3, stdout: 'sh in / as root\n', stderr: '' });
    expect(berth(root, ['images']).stdout).toMatch(/^berth\/toolbox\s+latest\s/m);
  });

  it("runs the image's CMD (sh) with -i reading standard input", () => {
    const r = berth(root, ['run', '-i'], { input: new TextEncoder().encode('echo typed $HOME\nexit 4\n') });
    expect(r).toEqual({ code: 4, stdout: 'typed /root\n', stderr: '' });
  });

  it('passes -e, -w and --hostname, and reports 127 for a missing command', () => {
    const r = berth(root, [
      'run',
      '-e',
      'A=1',
      '-w',
      '/tmp',
      '--hostname',
      'box',
      'toolbox',
      'sh',
      '-c',
      'echo $A $PWD $HOSTNAME',
    ]);
    expect(r.stdout).toBe('1 /tmp box\n');
    const missing = berth(root, ['run', 'toolbox', 'nosuch']);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toBe('berth: exec: "nosuch": executable file not found in $PATH\n');
  });

  it('--toolbox gives any image a shell and tools at /.berth, first on PATH', () => {
    const r = berth(root, [
      'run',
      '--toolbox',
      'fake/elf:1',
      'sh',
      '-c',
      'echo $PATH; read l < /etc/os-release; echo $l; echo /.berth/bin/s*',
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      '/.berth/bin:/usr/bin:/bin\nPRETTY_NAME="Fake Linux 1"\n/.berth/bin/sed /.berth/bin/seq /.berth/bin/sh /.berth/bin/sha256sum /.berth/bin/sleep /.berth/bin/sort /.berth/bin/stat\n',
    );
  });

  it("fails with exec format error naming the platform for the image's own ELF programs", () => {
    for (const args of [['fake/elf:1'], ['--toolbox', 'fake/elf:1', '/bin/ls']]) {
      const r = berth(root, ['run', ...args]);
      expect(r.code).toBe(126);
      expect(r.stderr).toBe(
        "berth: exec /bin/ls: exec format error: it is a linux/amd64 program, and berth's emulated backend runs WebAssembly (wasip1/wasm) programs only; run this image with --backend linux\n",
      );
    }
    // From a shell inside: the shell's own error, berth's explanation, and status 126.
    const r = berth(root, ['run', '--toolbox', 'fake/elf:1', 'sh', '-c', '/bin/ls; echo $?']);
    expect(r.stdout).toBe('126\n');
    expect(r.stderr).toContain('sh: /bin/ls: cannot execute binary file');
    expect(r.stderr).toContain('berth: exec /bin/ls: exec format error: it is a linux/amd64 program');
  });

  it('names bad flags and unknown images with exit 125', () => {
    expect(berth(root, ['run', '--nope']).code).toBe(125);
    const r = berth(root, ['run', 'no/such:image']);
    expect(r.code).toBe(125);
    expect(r.stderr).toBe("berth: Unable to find image 'no/such:image' locally\n");
  });
});

describeWith(['root', 'overlayfs', { tool: 'runc' }], 'berth run --backend linux', () => {
  it("runs the base image's linux/amd64 variant (native sh and toolbox) on the Linux kernel", () => {
    const r = berth(root, [
      'run',
      '--backend',
      'linux',
      'toolbox',
      'sh',
      '-c',
      'uname -m; ls /bin/sh /bin/ls; exit 5',
    ]);
    expect(r.stderr).toBe('');
    expect(r).toMatchObject({ code: 5, stdout: 'x86_64\n/bin/ls\n/bin/sh\n' });
    const emulated = berth(root, ['run', 'toolbox', 'uname', '-m']);
    expect(emulated.stdout).toBe('wasm32\n');
  }, 60_000);
});
