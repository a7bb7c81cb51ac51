/** System-wide /proc files: meminfo, uptime, cpuinfo, loadavg, version. */
import { UTS_MACHINE, UTS_RELEASE } from '../proc/extension.js';

const kB = (bytes: number): string => `${String(Math.floor(bytes / 1024)).padStart(8)} kB`;

/** MemTotal is the kernel's memory (or the cgroup's memory.max when smaller). */
export function meminfoFile(totalBytes: number, usedBytes: number): string {
  const free = Math.max(0, totalBytes - usedBytes);
  const rows: [string, number][] = [
    ['MemTotal', totalBytes],
    ['MemFree', free],
    ['MemAvailable', free],
    ['Buffers', 0],
    ['Cached', 0],
    ['SwapCached', 0],
    ['Active', usedBytes],
    ['Inactive', 0],
    ['SwapTotal', 0],
    ['SwapFree', 0],
    ['Shmem', 0],
  ];
  return rows.map(([k, v]) => `${(k + ':').padEnd(16)}${kB(v)}`).join('\n') + '\n';
}

export function uptimeFile(uptimeMs: number, idleMs: number): string {
  return `${(uptimeMs / 1000).toFixed(2)} ${(idleMs / 1000).toFixed(2)}\n`;
}

export function cpuinfoFile(cpus: number): string {
  const one = (i: number) =>
    [
      `processor\t: ${i}`,
      'vendor_id\t: berth',
      'model name\t: WebAssembly (berth emulated kernel)',
      `cpu cores\t: ${cpus}`,
      'flags\t\t: wasm32 simd128 threads',
      '',
    ].join('\n');
  return Array.from({ length: cpus }, (_, i) => one(i)).join('\n') + '\n';
}

export function versionFile(): string {
  return `Linux version ${UTS_RELEASE} (berth@berth) (${UTS_MACHINE}) #1 SMP berth\n`;
}

export function loadavgFile(running: number, total: number, lastPid: number): string {
  return `0.00 0.00 0.00 ${running}/${total} ${lastPid}\n`;
}
