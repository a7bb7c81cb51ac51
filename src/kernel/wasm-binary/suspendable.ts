/**
 * `suspendableModule`: whether a module was made suspendable by binaryen's asyncify pass,
 * and what a fresh instance needs to take over a suspended one's state.
 *
 * A suspended process's memory survives it (it is the kernel's shared memory), but a new
 * instance of the module resets two things: its mutable globals (the C stack pointer above
 * all) and the bytes of its active data segments (`.data`, rewritten at instantiation).
 * So the module is rewritten to export every mutable global it defines, and the byte
 * range the data segments cover is noted, to be saved around the instantiation.
 */
import { inspectModule, type ModuleInfo } from './module-info.js';
import { Reader, SectionId, encodeName, encodeU32, readSections, type Section } from './reader.js';

/** The export names asyncify adds; all four are needed to unwind and rewind. */
export const ASYNCIFY_EXPORTS = [
  'asyncify_start_unwind',
  'asyncify_stop_unwind',
  'asyncify_start_rewind',
  'asyncify_stop_rewind',
] as const;

/** Exported mutable global number i (module global index) is named this. */
export const GLOBAL_EXPORT_PREFIX = '__berth_global_';

export interface SuspendInfo {
  /** Global indices exported as GLOBAL_EXPORT_PREFIX + index, in order. */
  globals: number[];
  /** The C stack pointer (the first defined mutable i32 global, as wasm-ld makes it). */
  stackPointer: number;
  /** Bytes [lo, hi) of memory its active data segments write at instantiation. */
  data: { lo: number; hi: number };
}

/** Skips one constant expression (global initialisers, segment offsets) up to its `end`. */
function readConstExpr(r: Reader): { i32?: number } {
  const first = r.byte();
  let value: number | undefined;
  if (first === 0x41) {
    value = readS32(r);
  } else r.pos--;
  for (;;) {
    const op = r.byte();
    if (op === 0x0b) return value === undefined ? {} : { i32: value };
    value = undefined; // more than one instruction: not a plain constant
    if (op === 0x41 || op === 0x42) r.skipSigned();
    else if (op === 0x43) r.skip(4);
    else if (op === 0x44) r.skip(8);
    else if (op === 0x23 || op === 0xd2) r.u32();
    else if (op === 0xd0) r.byte();
    else if (op === 0x6a || op === 0x6b || op === 0x6c || op === 0x7c || op === 0x7d || op === 0x7e) continue;
    else return {}; // an instruction this reader does not know: treat as not constant
  }
}

function readS32(r: Reader): number {
  let result = 0;
  let shift = 0;
  let b: number;
  do {
    b = r.byte();
    result |= (b & 0x7f) << shift;
    shift += 7;
  } while (b & 0x80 && shift < 35);
  if (shift < 32 && b & 0x40) result |= ~0 << shift;
  return result >>> 0;
}

/**
 * The module rewritten to export its mutable globals, and what a resume needs; null when
 * the module is not suspendable (no asyncify exports, a start function, data segments at
 * computed offsets, or no C stack pointer).
 */
export function suspendableModule(
  bytes: Uint8Array,
  module: ModuleInfo = inspectModule(bytes),
): { bytes: Uint8Array; info: SuspendInfo } | null {
  const exported = new Set(module.exports.filter((e) => e.kind === 'function').map((e) => e.name));
  if (module.hasStart || !ASYNCIFY_EXPORTS.every((name) => exported.has(name))) return null;
  const sections = readSections(bytes);
  const exportSec = sections.find((s) => s.id === SectionId.export)!;
  const importedGlobals = module.imports.filter((i) => i.kind === 'global').length;
  const globals: number[] = [];
  let stackPointer = -1;
  const globalSec = sections.find((s) => s.id === SectionId.global);
  if (globalSec !== undefined) {
    const r = new Reader(bytes, globalSec.contentStart, globalSec.end);
    const count = r.u32();
    for (let k = 0; k < count; k++) {
      const type = r.byte();
      const mutable = r.byte() === 1;
      readConstExpr(r);
      if (!mutable || (type !== 0x7f && type !== 0x7e)) continue;
      globals.push(importedGlobals + k);
      if (stackPointer < 0 && type === 0x7f) stackPointer = importedGlobals + k;
    }
  }
  if (stackPointer < 0) return null;

  let lo = Infinity;
  let hi = 0;
  const dataSec = sections.find((s) => s.id === SectionId.data);
  if (dataSec !== undefined) {
    const r = new Reader(bytes, dataSec.contentStart, dataSec.end);
    for (let n = r.u32(); n > 0; n--) {
      const flags = r.u32();
      if (flags === 1) {
        r.skip(r.u32()); // passive: written only by memory.init, which the program does itself
        continue;
      }
      if (flags === 2) r.u32();
      const offset = readConstExpr(r).i32;
      if (offset === undefined) return null;
      const size = r.u32();
      r.skip(size);
      lo = Math.min(lo, offset);
      hi = Math.max(hi, offset + size);
    }
  }
  const data = lo < hi ? { lo, hi } : { lo: 0, hi: 0 };
  return { bytes: withGlobalExports(bytes, exportSec, globals), info: { globals, stackPointer, data } };
}

/** `bytes` with an export of each global in `globals` appended to the export section. */
function withGlobalExports(bytes: Uint8Array, exportSec: Section, globals: number[]): Uint8Array {
  const r = new Reader(bytes, exportSec.contentStart, exportSec.end);
  const count = r.u32();
  const entries = bytes.subarray(r.pos, exportSec.end);
  const added = globals.flatMap((g) => [...encodeName(`${GLOBAL_EXPORT_PREFIX}${g}`), 0x03, ...encodeU32(g)]);
  const content = [...encodeU32(count + globals.length), ...entries, ...added];
  const section = [SectionId.export, ...encodeU32(content.length), ...content];
  const out = new Uint8Array(bytes.length - (exportSec.end - exportSec.start) + section.length);
  out.set(bytes.subarray(0, exportSec.start), 0);
  out.set(section, exportSec.start);
  out.set(bytes.subarray(exportSec.end), exportSec.start + section.length);
  return out;
}
