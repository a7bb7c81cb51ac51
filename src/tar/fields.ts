/**
 * Field layout of the 512-byte ustar header block (POSIX pax "ustar Interchange Format",
 * with GNU's base-256 numeric extension) and helpers to read and write its fields.
 */
import { InvalidArgumentError } from '../errors.js';

export const BLOCK = 512;

/** [offset, length] of each header field. */
export const F = {
  name: [0, 100],
  mode: [100, 8],
  uid: [108, 8],
  gid: [116, 8],
  size: [124, 12],
  mtime: [136, 12],
  chksum: [148, 8],
  typeflag: [156, 1],
  linkname: [157, 100],
  magic: [257, 6],
  version: [263, 2],
  uname: [265, 32],
  gname: [297, 32],
  devmajor: [329, 8],
  devminor: [337, 8],
  prefix: [345, 155],
} as const;

export type FieldName = keyof typeof F;

const utf8 = new TextDecoder('utf-8');
const encoder = new TextEncoder();

export function encodeUtf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Bytes as UTF-8 text (ASCII fast path). */
export function decodeUtf8(b: Uint8Array): string {
  if (b.length > 256) return utf8.decode(b);
  for (let i = 0; i < b.length; i++) {
    if (b[i] >= 0x80) return utf8.decode(b);
  }
  return String.fromCharCode.apply(null, b as unknown as number[]);
}

/** A NUL-terminated text field. */
export function readString(block: Uint8Array, [off, len]: readonly [number, number]): string {
  let end = off;
  const stop = off + len;
  while (end < stop && block[end] !== 0) end++;
  return decodeUtf8(block.subarray(off, end));
}

/**
 * A numeric field: octal digits (leading spaces, trailing NULs/spaces allowed; all-NUL
 * means 0) or GNU base-256 when the top bit of the first byte is set.
 */
export function readNumber(block: Uint8Array, field: FieldName, entry: string): number {
  const [off, len] = F[field];
  const first = block[off];
  if (first & 0x80) return readBase256(block.subarray(off, off + len), field, entry);
  let i = off;
  const end = off + len;
  while (i < end && block[i] === 0x20) i++;
  let v = 0;
  for (; i < end; i++) {
    const c = block[i];
    if (c < 0x30 || c > 0x37) break;
    v = v * 8 + (c - 0x30);
  }
  for (; i < end; i++) {
    const c = block[i];
    if (c !== 0 && c !== 0x20) {
      throw new InvalidArgumentError(`tar entry '${entry}': invalid octal number in the ${field} field`);
    }
  }
  return v;
}

function readBase256(b: Uint8Array, field: string, entry: string): number {
  const negative = b[0] === 0xff;
  let v = BigInt(negative ? 0xff : b[0] & 0x7f);
  for (let i = 1; i < b.length; i++) v = (v << 8n) | BigInt(b[i]);
  if (negative) v -= 1n << BigInt(8 * b.length);
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new InvalidArgumentError(`tar entry '${entry}': the ${field} field is out of range`);
  }
  return Number(v);
}

/** Unsigned (and historic signed) sums of the block with the checksum field as spaces. */
export function checksums(block: Uint8Array): [number, number] {
  let u = 0;
  let s = 0;
  for (let i = 0; i < BLOCK; i++) {
    const c = i >= 148 && i < 156 ? 0x20 : block[i];
    u += c;
    s += c >= 0x80 ? c - 0x100 : c;
  }
  return [u, s];
}

export function isZeroBlock(block: Uint8Array): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

/** Largest value a numeric field holds in octal with a terminating NUL. */
export function octalMax(field: FieldName): number {
  return 8 ** (F[field][1] - 1) - 1;
}

/** Writes `value` as zero-padded octal followed by NUL (the GNU/Go layout). */
export function writeOctal(block: Uint8Array, field: FieldName, value: number): void {
  const [off, len] = F[field];
  const digits = value.toString(8).padStart(len - 1, '0');
  for (let i = 0; i < len - 1; i++) block[off + i] = digits.charCodeAt(i);
  block[off + len - 1] = 0;
}

/** Copies bytes into a field (caller guarantees they fit). */
export function writeBytes(block: Uint8Array, field: FieldName, bytes: Uint8Array): void {
  const [off, len] = F[field];
  block.set(bytes.length > len ? bytes.subarray(0, len) : bytes, off);
}

export function writeAscii(block: Uint8Array, off: number, s: string): void {
  for (let i = 0; i < s.length; i++) block[off + i] = s.charCodeAt(i);
}

/** Fills in the checksum field: six octal digits, NUL, space. */
export function sealChecksum(block: Uint8Array): void {
  const [sum] = checksums(block);
  writeAscii(block, 148, sum.toString(8).padStart(6, '0'));
  block[154] = 0;
  block[155] = 0x20;
}
