/** `withImportedSharedMemory`: rewrite a module so its memory is an imported shared one. */
import { InvalidArgumentError } from '../../errors.js';
import { type Limits, readImportDesc, readLimits } from './module-info.js';
import { Reader, SectionId, type Section, encodeName, encodeU32, readSections } from './reader.js';

/** The largest memory32 size in pages (4 GiB). */
export const MAX_PAGES_32 = 65536;

export interface SharedMemoryOptions {
  module: string;
  name: string;
  /** The maximum used when the module gives none (capped at 65536). */
  defaultMaxPages: number;
}

export interface SharedMemoryResult {
  bytes: Uint8Array;
  /** The imported memory's limits; undefined when the module has no memory. */
  limits?: Limits;
}

function encodeSharedLimits(l: Limits): number[] {
  return [0x03, ...encodeU32(l.min), ...encodeU32(l.max ?? l.min)];
}

function encodeSection(id: number, content: number[] | Uint8Array): number[] {
  return [id, ...encodeU32(content.length), ...content];
}

function sharedLimits(found: Limits, defaultMaxPages: number, what: string): Limits {
  if (found.memory64)
    throw new InvalidArgumentError(`${what} is a 64-bit memory (memory64), which is not supported`);
  const max = Math.min(found.max ?? defaultMaxPages, MAX_PAGES_32);
  if (found.min > max) {
    throw new InvalidArgumentError(`${what} needs ${found.min} pages, more than its maximum of ${max}`);
  }
  return { min: found.min, max, shared: true, memory64: false };
}

/**
 * Rewrites `bytes` so its single memory is imported as a shared memory under
 * `opts.module`/`opts.name`. A defined memory moves to the import section (memory index
 * stays 0; function indices are untouched); an imported one is renamed and made shared.
 * Modules without memory are returned unchanged. Throws InvalidArgumentError for more
 * than one memory or a memory64.
 */
export function withImportedSharedMemory(bytes: Uint8Array, opts: SharedMemoryOptions): SharedMemoryResult {
  const sections = readSections(bytes);
  const importSec = sections.find((s) => s.id === SectionId.import);
  const memorySec = sections.find((s) => s.id === SectionId.memory);

  // Re-read the import entries, keeping each one's raw bytes.
  interface RawImport {
    start: number;
    end: number;
    descStart: number;
    kind: string;
    memory?: Limits;
  }
  const imports: RawImport[] = [];
  if (importSec) {
    const r = new Reader(bytes, importSec.contentStart, importSec.end);
    for (let n = r.u32(); n > 0; n--) {
      const start = r.pos;
      const module = r.name();
      const name = r.name();
      const descStart = r.pos;
      const imp = readImportDesc(r, module, name);
      imports.push({ start, end: r.pos, descStart, kind: imp.kind, memory: imp.memory });
    }
  }
  const defined: Limits[] = [];
  if (memorySec) {
    const r = new Reader(bytes, memorySec.contentStart, memorySec.end);
    for (let n = r.u32(); n > 0; n--) defined.push(readLimits(r));
  }
  const importedMemories = imports.filter((i) => i.kind === 'memory');
  const total = importedMemories.length + defined.length;
  if (total === 0) return { bytes };
  if (total > 1) {
    throw new InvalidArgumentError(
      `the module has ${total} memories; only modules with one memory are supported`,
    );
  }

  let limits: Limits;
  const entries: number[][] = [];
  for (const imp of imports) {
    if (imp.kind === 'memory') {
      limits = sharedLimits(imp.memory!, opts.defaultMaxPages, 'the imported memory');
      entries.push([
        ...encodeName(opts.module),
        ...encodeName(opts.name),
        0x02,
        ...encodeSharedLimits(limits),
      ]);
    } else {
      entries.push([...bytes.subarray(imp.start, imp.end)]);
    }
  }
  if (defined.length === 1) {
    limits = sharedLimits(defined[0], opts.defaultMaxPages, 'memory 0');
    entries.push([...encodeName(opts.module), ...encodeName(opts.name), 0x02, ...encodeSharedLimits(limits)]);
  }
  const importContent = [...encodeU32(entries.length), ...entries.flat()];
  const newImportSection = encodeSection(SectionId.import, importContent);

  const out: (number[] | Uint8Array)[] = [bytes.subarray(0, 8)];
  let importWritten = false;
  const writeImport = () => {
    if (!importWritten) out.push(newImportSection);
    importWritten = true;
  };
  // Known sections, in the order the binary format requires; custom ones may appear anywhere.
  const orderOf = (s: Section) => (s.id === SectionId.dataCount ? 9.5 : s.id === SectionId.tag ? 6.5 : s.id);
  for (const s of sections) {
    if (s.id === SectionId.import) {
      writeImport();
      continue;
    }
    if (s.id !== SectionId.custom && orderOf(s) > SectionId.import) writeImport();
    if (s.id === SectionId.memory) continue; // its only entry moved to the import section
    out.push(bytes.subarray(s.start, s.end));
  }
  writeImport();
  const result = new Uint8Array(out.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of out) {
    result.set(part, at);
    at += part.length;
  }
  return { bytes: result, limits: limits! };
}
