/**
 * Low-level reading of the WebAssembly core binary format: LEB128 integers, names and
 * the section list. Code bodies are never decoded.
 */
import { InvalidArgumentError } from '../../errors.js';

export const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d] as const;

/** Section ids of the core binary format. */
export const SectionId = {
  custom: 0,
  type: 1,
  import: 2,
  function: 3,
  table: 4,
  memory: 5,
  global: 6,
  export: 7,
  start: 8,
  element: 9,
  code: 10,
  data: 11,
  dataCount: 12,
  tag: 13,
} as const;

/** One section: its id and the byte range of its contents (after the size field). */
export interface Section {
  id: number;
  /** Offset of the section id byte. */
  start: number;
  /** Offset of the first content byte. */
  contentStart: number;
  /** Offset just past the last content byte. */
  end: number;
}

/** A cursor over a byte array that reads the binary format's primitive encodings. */
export class Reader {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  byte(): number {
    if (this.pos >= this.end) {
      throw new InvalidArgumentError(`truncated WebAssembly module: unexpected end at offset ${this.pos}`);
    }
    return this.bytes[this.pos++];
  }

  /** Unsigned LEB128 up to 32 bits. */
  u32(): number {
    const start = this.pos;
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 5; i++) {
      if (this.pos >= this.end) throw new InvalidArgumentError(`malformed LEB128 at offset ${start}`);
      const b = this.bytes[this.pos++];
      if (i === 4 && b > 0x0f) throw new InvalidArgumentError(`malformed LEB128 at offset ${start}`);
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) return result;
    }
    throw new InvalidArgumentError(`malformed LEB128 at offset ${start}`);
  }

  /** Unsigned LEB128 up to 64 bits, as a number (exact up to 2^53). */
  u64(): number {
    const start = this.pos;
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new InvalidArgumentError(`malformed LEB128 at offset ${start}`);
      const b = this.bytes[this.pos++];
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) return result;
    }
    throw new InvalidArgumentError(`malformed LEB128 at offset ${start}`);
  }

  /** Signed LEB128 of any length (the value itself is skipped, not returned). */
  skipSigned(): void {
    const start = this.pos;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new InvalidArgumentError(`malformed LEB128 at offset ${start}`);
      if ((this.bytes[this.pos++] & 0x80) === 0) return;
    }
    throw new InvalidArgumentError(`malformed LEB128 at offset ${start}`);
  }

  skip(n: number): void {
    if (this.pos + n > this.end) {
      throw new InvalidArgumentError(`truncated WebAssembly module: unexpected end at offset ${this.end}`);
    }
    this.pos += n;
  }

  name(): string {
    const len = this.u32();
    const start = this.pos;
    this.skip(len);
    return new TextDecoder('utf-8', { fatal: false }).decode(this.bytes.subarray(start, start + len));
  }
}

/** Encodes an unsigned integer as LEB128. */
export function encodeU32(value: number): number[] {
  const out: number[] = [];
  let v = value;
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

/** Encodes a name (length-prefixed UTF-8). */
export function encodeName(name: string): number[] {
  const utf8 = new TextEncoder().encode(name);
  return [...encodeU32(utf8.length), ...utf8];
}

/**
 * Checks the 8-byte header: magic `\0asm` and version 1. Component-model binaries
 * (layer 1) are rejected with their own message.
 */
export function checkHeader(bytes: Uint8Array): void {
  if (bytes.length < 4 || WASM_MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new InvalidArgumentError('not a WebAssembly module (bad magic)');
  }
  if (bytes.length < 8) {
    throw new InvalidArgumentError('truncated WebAssembly module: header runs past the end');
  }
  const version = bytes[4] | (bytes[5] << 8);
  const layer = bytes[6] | (bytes[7] << 8);
  if (layer === 1) {
    throw new InvalidArgumentError('WebAssembly components are not supported; a core module is needed');
  }
  if (version !== 1 || layer !== 0) {
    const v = (version + layer * 0x10000) >>> 0;
    throw new InvalidArgumentError(`unsupported WebAssembly version ${v}`);
  }
}

/** Validates the header and lists the sections in order. */
export function readSections(bytes: Uint8Array): Section[] {
  checkHeader(bytes);
  const r = new Reader(bytes, 8);
  const sections: Section[] = [];
  while (!r.done) {
    const start = r.pos;
    const id = r.byte();
    const size = r.u32();
    const contentStart = r.pos;
    if (contentStart + size > bytes.length) {
      throw new InvalidArgumentError(`truncated WebAssembly module: section ${id} runs past the end`);
    }
    sections.push({ id, start, contentStart, end: contentStart + size });
    r.pos = contentStart + size;
  }
  return sections;
}
