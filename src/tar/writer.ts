/**
 * Deterministic tar writer: ustar headers ("ustar\0" "00", zero-padded octal fields),
 * with a PAX 'x' record before an entry only when ustar cannot hold it (long or
 * non-ASCII names and links, big numbers, negative mtimes, xattrs). mtime is whole
 * seconds; no atime/ctime; the archive ends with two zero blocks and no record padding.
 */
import { InvalidArgumentError } from '../errors.js';
import { BLOCK, F, encodeUtf8, octalMax, sealChecksum, writeBytes, writeOctal } from './fields.js';
import { encodePax } from './pax.js';
import type { TarEntryType, TarWriteEntry, TarWriteHeader } from './types.js';

const FLAGS: Record<TarEntryType, number> = {
  file: 0x30,
  hardlink: 0x31,
  symlink: 0x32,
  chardev: 0x33,
  blockdev: 0x34,
  dir: 0x35,
  fifo: 0x36,
};

/** Output is gathered into chunks of about this size; big bodies pass through as views. */
const CHUNK = 64 * 1024;

class Chunker {
  private buf = new Uint8Array(CHUNK);
  private len = 0;
  /** Appends bytes; returns the chunks that are ready to emit. */
  push(bytes: Uint8Array, out: Uint8Array[]): void {
    if (bytes.length >= CHUNK / 2) {
      this.flush(out);
      out.push(bytes);
      return;
    }
    if (this.len + bytes.length > CHUNK) this.flush(out);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }
  zeros(n: number, out: Uint8Array[]): void {
    if (n === 0) return;
    if (this.len + n > CHUNK) this.flush(out);
    this.buf.fill(0, this.len, this.len + n);
    this.len += n;
  }
  flush(out: Uint8Array[]): void {
    if (this.len === 0) return;
    out.push(this.buf.subarray(0, this.len));
    this.buf = new Uint8Array(CHUNK);
    this.len = 0;
  }
}

/** Serialises entries as a tar stream. */
export async function* writeTar(
  entries: AsyncIterable<TarWriteEntry> | Iterable<TarWriteEntry>,
): AsyncIterable<Uint8Array> {
  const chunker = new Chunker();
  const out: Uint8Array[] = [];
  for await (const entry of entries) {
    const h = entry.header;
    const body = entry.body;
    const size = bodySize(h, body);
    for (const block of headerBlocks(h, size)) chunker.push(block, out);
    if (body instanceof Uint8Array) {
      chunker.push(body, out);
    } else if (body !== undefined) {
      let written = 0;
      for await (const chunk of body) {
        written += chunk.length;
        if (written > size) break;
        chunker.push(chunk, out);
        if (out.length > 0) yield* out.splice(0);
      }
      if (written !== size) {
        throw new InvalidArgumentError(
          `tar entry '${h.name}': body is ${written > size ? 'longer' : 'shorter'} than its size ${size}`,
        );
      }
    }
    chunker.zeros((BLOCK - (size % BLOCK)) % BLOCK, out);
    if (out.length > 0) yield* out.splice(0);
  }
  chunker.zeros(2 * BLOCK, out);
  chunker.flush(out);
  yield* out;
}

function bodySize(h: TarWriteHeader, body: TarWriteEntry['body']): number {
  if (h.type !== 'file') {
    if (body !== undefined && (!(body instanceof Uint8Array) || body.length > 0)) {
      throw new InvalidArgumentError(`tar entry '${h.name}': a ${h.type} has no body`);
    }
    return 0;
  }
  if (body instanceof Uint8Array) {
    if (h.size !== undefined && h.size !== body.length) {
      throw new InvalidArgumentError(
        `tar entry '${h.name}': size ${h.size} but the body has ${body.length} bytes`,
      );
    }
    return body.length;
  }
  if (body === undefined) {
    if (h.size) throw new InvalidArgumentError(`tar entry '${h.name}': size ${h.size} but no body`);
    return 0;
  }
  if (h.size === undefined || !Number.isSafeInteger(h.size) || h.size < 0) {
    throw new InvalidArgumentError(`tar entry '${h.name}': a streamed body needs header.size`);
  }
  return h.size;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return false;
  return true;
}

/** ASCII stand-in for a field whose real value travels in a PAX record. */
function fallback(s: string, max: number): Uint8Array {
  return encodeUtf8(s.replace(/[^\x20-\x7e]/g, '_').slice(0, max));
}

/** Splits a path into ustar prefix and name, or undefined when it cannot be. */
function splitUstar(name: string): [string, string] | undefined {
  if (name.length <= 100) return ['', name];
  for (let i = name.indexOf('/'); i >= 0 && i <= 155; i = name.indexOf('/', i + 1)) {
    const rest = name.length - i - 1;
    if (rest > 0 && rest <= 100) return [name.slice(0, i), name.slice(i + 1)];
  }
  return undefined;
}

function checkNumber(name: string, field: string, v: number): void {
  if (!Number.isSafeInteger(v) || (v < 0 && field !== 'mtime')) {
    throw new InvalidArgumentError(`tar entry '${name}': ${field} ${v} is not a valid number`);
  }
}

/** The PAX block (if needed) and the ustar header block of one entry. */
function headerBlocks(h: TarWriteHeader, size: number): Uint8Array[] {
  const name = h.name;
  if (name === '' || name.includes('\0')) throw new InvalidArgumentError(`tar entry '${name}': invalid name`);
  const linkname = h.type === 'symlink' || h.type === 'hardlink' ? (h.linkname ?? '') : '';
  if (linkname.includes('\0')) throw new InvalidArgumentError(`tar entry '${name}': invalid link target`);
  const mode = h.mode ?? (h.type === 'dir' ? 0o755 : 0o644);
  const uid = h.uid ?? 0;
  const gid = h.gid ?? 0;
  const mtime = Math.floor((h.mtimeMs ?? 0) / 1000);
  const uname = h.uname ?? '';
  const gname = h.gname ?? '';
  const devmajor = h.devmajor ?? 0;
  const devminor = h.devminor ?? 0;
  for (const [f, v] of [
    ['uid', uid],
    ['gid', gid],
    ['mtime', mtime],
    ['devmajor', devmajor],
    ['devminor', devminor],
  ] as const) {
    checkNumber(name, f, v);
  }
  if (devmajor < 0 || devmajor > octalMax('devmajor') || devminor < 0 || devminor > octalMax('devminor')) {
    throw new InvalidArgumentError(`tar entry '${name}': device number ${devmajor}:${devminor} out of range`);
  }

  const records: [string, Uint8Array][] = [];
  const text = (key: string, v: string) => records.push([key, encodeUtf8(v)]);
  const block = new Uint8Array(BLOCK);

  const split = isAscii(name) ? splitUstar(name) : undefined;
  if (split) {
    writeBytes(block, 'name', encodeUtf8(split[1]));
    writeBytes(block, 'prefix', encodeUtf8(split[0]));
  } else {
    text('path', name);
    writeBytes(block, 'name', fallback(name, 100));
  }
  if (isAscii(linkname) && linkname.length <= 100) {
    writeBytes(block, 'linkname', encodeUtf8(linkname));
  } else {
    text('linkpath', linkname);
    writeBytes(block, 'linkname', fallback(linkname, 100));
  }
  for (const [f, v] of [
    ['uname', uname],
    ['gname', gname],
  ] as const) {
    if (isAscii(v) && v.length <= 32) writeBytes(block, f, encodeUtf8(v));
    else {
      text(f, v);
      writeBytes(block, f, fallback(v, 32));
    }
  }
  for (const [f, v] of [
    ['uid', uid],
    ['gid', gid],
    ['size', size],
    ['mtime', mtime],
  ] as const) {
    if (v >= 0 && v <= octalMax(f)) writeOctal(block, f, v);
    else {
      text(f, String(v));
      writeOctal(block, f, 0);
    }
  }
  writeOctal(block, 'mode', mode & 0o7777);
  writeOctal(block, 'devmajor', devmajor);
  writeOctal(block, 'devminor', devminor);
  block[F.typeflag[0]] = FLAGS[h.type];
  block.set([0x75, 0x73, 0x74, 0x61, 0x72, 0x00, 0x30, 0x30], F.magic[0]); // "ustar\0" "00"
  if (h.xattrs) {
    for (const [k, v] of h.xattrs) {
      if (k === '' || k.includes('=') || k.includes('\0')) {
        throw new InvalidArgumentError(`tar entry '${name}': invalid xattr name '${k}'`);
      }
      records.push([`SCHILY.xattr.${k}`, v]);
    }
  }
  sealChecksum(block);
  if (records.length === 0) return [block];

  records.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const paxBody = encodePax(records);
  const paxHeader = new Uint8Array(BLOCK);
  const base = name.replace(/\/+$/, '').split('/').pop() || 'entry';
  writeBytes(paxHeader, 'name', fallback(`PaxHeaders/${base}`, 100));
  writeOctal(paxHeader, 'mode', 0o644);
  writeOctal(paxHeader, 'uid', 0);
  writeOctal(paxHeader, 'gid', 0);
  writeOctal(paxHeader, 'size', paxBody.length);
  writeOctal(paxHeader, 'mtime', mtime >= 0 && mtime <= octalMax('mtime') ? mtime : 0);
  writeOctal(paxHeader, 'devmajor', 0);
  writeOctal(paxHeader, 'devminor', 0);
  paxHeader[F.typeflag[0]] = 0x78; // 'x'
  paxHeader.set([0x75, 0x73, 0x74, 0x61, 0x72, 0x00, 0x30, 0x30], F.magic[0]);
  sealChecksum(paxHeader);
  const padded = new Uint8Array(Math.ceil(paxBody.length / BLOCK) * BLOCK);
  padded.set(paxBody);
  return [paxHeader, padded, block];
}
