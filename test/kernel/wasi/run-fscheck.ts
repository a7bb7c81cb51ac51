/** Runs wasm/tests/build/fscheck.wasm on berth's WasiHost or node:wasi and collects its output. */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WASI } from 'node:wasi';
import { WasiHost } from '../../../src/kernel/wasi/index.js';
import type { FileSystem } from '../../../src/vfs/index.js';

export const FSCHECK_ARGS = ['fscheck', 'alpha', 'beta gamma'];
export const FSCHECK_ENV = { FSCHECK: 'yes=1' };
export const committedWasm = fileURLToPath(
  new URL('../../../wasm/tests/build/fscheck.wasm', import.meta.url),
);
export const buildScript = fileURLToPath(new URL('../../../wasm/tests/build.sh', import.meta.url));

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  lines: string[];
}

/** Rebuild the test programs into a fresh temporary directory; returns the fscheck.wasm path. */
export function rebuild(): string {
  const out = mkdtempSync(join(tmpdir(), 'berth-wasm-'));
  execFileSync('sh', [buildScript, out], { stdio: 'pipe' });
  return join(out, 'fscheck.wasm');
}

export function loadModule(path = committedWasm): WebAssembly.Module {
  return new WebAssembly.Module(readFileSync(path));
}

function result(exitCode: number, stdout: string, stderr: string): RunResult {
  return { exitCode, stdout, stderr, lines: stdout.split('\n').filter((l) => /^(not )?ok /.test(l)) };
}

export function runOnBerth(module: WebAssembly.Module, fs: FileSystem): RunResult {
  const dec = new TextDecoder();
  let stdout = '';
  let stderr = '';
  const host = new WasiHost({
    args: FSCHECK_ARGS,
    env: FSCHECK_ENV,
    preopens: [{ guestPath: '/', fs }],
    stdout: (b) => (stdout += dec.decode(b)),
    stderr: (b) => (stderr += dec.decode(b)),
  });
  const { exitCode } = host.run(module);
  return result(exitCode, stdout, stderr);
}

/** The same program under node:wasi, with "/" preopened on an empty temporary directory. */
export function runOnNode(module: WebAssembly.Module): RunResult {
  const dir = mkdtempSync(join(tmpdir(), 'berth-nodewasi-'));
  const outFile = join(dir, '.stdout');
  const errFile = join(dir, '.stderr');
  const outFd = openSync(outFile, 'w');
  const errFd = openSync(errFile, 'w');
  try {
    mkdirSync(join(dir, 'root'));
    const wasi = new WASI({
      version: 'preview1',
      args: FSCHECK_ARGS,
      env: FSCHECK_ENV,
      preopens: { '/': join(dir, 'root') },
      stdout: outFd,
      stderr: errFd,
      returnOnExit: true,
    });
    const instance = new WebAssembly.Instance(module, wasi.getImportObject() as WebAssembly.Imports);
    const exitCode = wasi.start(instance);
    return result(exitCode, readFileSync(outFile, 'utf8'), readFileSync(errFile, 'utf8'));
  } finally {
    closeSync(outFd);
    closeSync(errFd);
    rmSync(dir, { recursive: true, force: true });
  }
}
