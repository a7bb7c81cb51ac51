/**
 * What kind of executable a file is, as execve(2) decides: a WebAssembly module (what
 * berth's kernel runs), a script with a `#!` interpreter line, or an ELF program of some
 * platform (which the emulated kernel cannot run: it says so, naming the platform).
 */
export type ExecImage =
  | { kind: 'wasm' }
  | { kind: 'script'; interpreter: string; arg?: string }
  | { kind: 'elf'; platform: string }
  | { kind: 'unknown' };

/** e_machine values (ELF spec) → OCI architecture names. */
const ELF_MACHINES: Record<number, string> = {
  3: '386',
  8: 'mips',
  20: 'ppc',
  21: 'ppc64',
  22: 's390x',
  40: 'arm',
  62: 'amd64',
  183: 'arm64',
  243: 'riscv64',
  258: 'loong64',
};

/** Linux reads at most this much of a `#!` line (BINPRM_BUF_SIZE). */
const SHEBANG_MAX = 256;

export function classifyExecutable(head: Uint8Array): ExecImage {
  if (head[0] === 0 && head[1] === 0x61 && head[2] === 0x73 && head[3] === 0x6d) return { kind: 'wasm' };
  if (head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46) {
    const little = head[5] !== 2;
    const machine = little
      ? (head[18] ?? 0) | ((head[19] ?? 0) << 8)
      : ((head[18] ?? 0) << 8) | (head[19] ?? 0);
    let arch = ELF_MACHINES[machine] ?? `machine ${machine}`;
    if (machine === 8 && head[4] === 2) arch = 'mips64';
    if (machine === 21 && little) arch = 'ppc64le';
    return { kind: 'elf', platform: `linux/${arch}` };
  }
  if (head[0] === 0x23 && head[1] === 0x21) {
    const end = head.subarray(0, SHEBANG_MAX).indexOf(0x0a);
    const line = new TextDecoder()
      .decode(head.subarray(2, end < 0 ? Math.min(head.length, SHEBANG_MAX) : end))
      .trim();
    // As Linux: the interpreter, then everything after the first blank as one argument.
    const m = /^(\S+)(?:[ \t]+(.*\S))?/.exec(line);
    if (m?.[1] === undefined) return { kind: 'unknown' };
    return m[2] === undefined
      ? { kind: 'script', interpreter: m[1] }
      : { kind: 'script', interpreter: m[1], arg: m[2] };
  }
  return { kind: 'unknown' };
}

/** The message berth shows when asked to run an ELF program on the emulated kernel. */
export function execFormatMessage(path: string, platform: string): string {
  return (
    `exec ${path}: exec format error: it is a ${platform} program, and berth's emulated backend ` +
    `runs WebAssembly (wasip1/wasm) programs only; run this image with --backend linux`
  );
}
