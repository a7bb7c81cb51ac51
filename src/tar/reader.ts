/**
 * Streaming tar reader: ustar (with prefix), GNU (long names/links 'L'/'K', base-256
 * numbers) and PAX ('x' per entry, 'g' global). Bodies are buffered per entry; headers
 * are validated (checksum, numbers, sizes) and errors name the entry.
 */
import { InvalidArgumentError } from '../errors.js';
import { ByteReader } from './byte-reader.js';
import { BLOCK, F, checksums, decodeUtf8, isZeroBlock, readNumber, readString } from './fields.js';
import { type PaxRecords, parsePax } from './pax.js';
import type { ReadTarOptions, TarEntry, TarEntryType, TarHeader } from './types.js';

export const DEFAULT_MAX_ENTRY_SIZE = 1024 ** 3;
/** PAX and GNU long-name records are metadata: never more than this. */
const MAX_META_SIZE = 16 * 1024 * 1024;
const EMPTY = new Uint8Array(0);

const TYPES: Record<string, TarEntryType> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'chardev',
  '4': 'blockdev',
  '5': 'dir',
  '6': 'fifo',
  D: 'dir', // GNU dumpdir: a directory whose body lists its contents (skipped)
};

/**
 * Yields each member of a tar stream with its whole body. After the end-of-archive
 * blocks the rest of the source is read and discarded (so a wrapper hashing the
 * stream sees all of it); stopping early or failing releases the source.
 */
export async function* readTar(
  source: AsyncIterable<Uint8Array>,
  opts: ReadTarOptions = {},
): AsyncGenerator<TarEntry> {
  const maxEntry = opts.maxEntrySize ?? DEFAULT_MAX_ENTRY_SIZE;
  const maxMeta = Math.min(maxEntry, MAX_META_SIZE);
  const r = new ByteReader(source);
  let global: PaxRecords = new Map();
  let pax: PaxRecords | null = null;
  let longName: string | null = null;
  let longLink: string | null = null;
  let finished = false;

  const readBody = async (size: number, name: string, flag: string): Promise<Uint8Array> => {
    const body = size === 0 ? EMPTY : new Uint8Array(size);
    const got = size === 0 ? 0 : await r.readInto(body);
    const pad = (BLOCK - (size % BLOCK)) % BLOCK;
    const padded = got === size && pad > 0 ? await r.skip(pad) : 0;
    if (got < size || padded < pad) {
      const what = flag === 'file' ? `entry '${name}'` : `the ${flag} record for '${name}'`;
      throw new InvalidArgumentError(
        `truncated tar: ${what} needs ${size + pad} bytes (only ${got + padded} left)`,
      );
    }
    return body;
  };

  try {
    for (;;) {
      const at = r.offset;
      const block = await r.read(BLOCK);
      const pending = pax !== null || longName !== null || longLink !== null;
      if (block.length === 0) {
        if (pending)
          throw new InvalidArgumentError(`truncated tar: metadata at offset ${at} has no entry after it`);
        finished = true;
        return;
      }
      if (block.length < BLOCK) {
        throw new InvalidArgumentError(
          `truncated tar: the header at offset ${at} needs ${BLOCK} bytes (only ${block.length} left)`,
        );
      }
      if (isZeroBlock(block)) {
        const next = await r.read(BLOCK);
        if (next.length === BLOCK && !isZeroBlock(next)) {
          throw new InvalidArgumentError(`invalid tar: a lone zero block at offset ${at}`);
        }
        if (pending)
          throw new InvalidArgumentError(`invalid tar: metadata at offset ${at} has no entry after it`);
        await r.drain();
        finished = true;
        return;
      }

      const ustar = block[257] === 0x75 && block[258] === 0x73 && block[259] === 0x74; // "ust"
      const posix = ustar && block[262] === 0 && block[263] === 0x30; // "ustar\0" "00"
      const headerName = fullName(block, posix);
      const label = textRecord(pax, 'path') ?? longName ?? headerName;
      verifyChecksum(block, at, label);
      const flag = String.fromCharCode(block[156]);
      const sizeField = readNumber(block, 'size', label);

      if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
        if (sizeField > maxMeta) {
          throw new InvalidArgumentError(
            `tar entry '${label}': ${flag} record of ${sizeField} bytes exceeds the limit of ${maxMeta} bytes`,
          );
        }
        const body = await readBody(sizeField, label, flag);
        if (flag === 'x') pax = mergePax(pax ?? new Map(global), parsePax(body, label));
        else if (flag === 'g') global = mergePax(global, parsePax(body, label));
        else if (flag === 'L') longName = cString(body);
        else longLink = cString(body);
        continue;
      }

      const rec = pax ?? global;
      const name = textRecord(rec, 'path') ?? longName ?? headerName;
      let type = TYPES[flag];
      if (type === undefined) {
        throw new InvalidArgumentError(`tar entry '${name}': unsupported entry type '${printable(flag)}'`);
      }
      if (flag === '\0' && name.endsWith('/')) type = 'dir'; // pre-POSIX directories
      for (const key of rec.keys()) {
        if (key.startsWith('GNU.sparse.')) {
          throw new InvalidArgumentError(`tar entry '${name}': sparse files are not supported`);
        }
      }

      const storedSize = numberRecord(rec, 'size', name) ?? sizeField;
      const hasData = type === 'file' || flag === 'D';
      if (hasData && storedSize > maxEntry) {
        throw new InvalidArgumentError(
          `tar entry '${name}': size ${storedSize} exceeds the limit of ${maxEntry} bytes`,
        );
      }
      const dev = type === 'chardev' || type === 'blockdev';
      const header: TarHeader = {
        name,
        type,
        mode: readNumber(block, 'mode', name) & 0o7777,
        uid: numberRecord(rec, 'uid', name) ?? readNumber(block, 'uid', name),
        gid: numberRecord(rec, 'gid', name) ?? readNumber(block, 'gid', name),
        uname: textRecord(rec, 'uname') ?? (ustar ? readString(block, F.uname) : ''),
        gname: textRecord(rec, 'gname') ?? (ustar ? readString(block, F.gname) : ''),
        size: type === 'file' ? storedSize : 0,
        mtimeMs: mtimeRecord(rec, name) ?? readNumber(block, 'mtime', name) * 1000,
        linkname: textRecord(rec, 'linkpath') ?? longLink ?? readString(block, F.linkname),
        devmajor: dev
          ? (numberRecord(rec, 'SCHILY.devmajor', name) ?? readNumber(block, 'devmajor', name))
          : 0,
        devminor: dev
          ? (numberRecord(rec, 'SCHILY.devminor', name) ?? readNumber(block, 'devminor', name))
          : 0,
        xattrs: xattrsOf(rec, name),
      };
      if (type !== 'hardlink' && type !== 'symlink') header.linkname = '';
      const body = hasData ? await readBody(storedSize, name, 'file') : EMPTY;
      pax = null;
      longName = null;
      longLink = null;
      yield { header, body: type === 'file' ? body : EMPTY };
    }
  } finally {
    if (!finished) await r.close();
  }
}

function fullName(block: Uint8Array, posix: boolean): string {
  const name = readString(block, F.name);
  if (!posix || block[F.prefix[0]] === 0) return name;
  return `${readString(block, F.prefix)}/${name}`;
}

function verifyChecksum(block: Uint8Array, at: number, name: string): void {
  let stored: number;
  try {
    stored = readNumber(block, 'chksum', name);
  } catch {
    stored = -1;
  }
  const [unsigned, signed] = checksums(block);
  if (stored !== unsigned && stored !== signed) {
    const hint = at === 0 ? ' (not a tar archive?)' : '';
    throw new InvalidArgumentError(
      `invalid tar header at offset ${at} (entry '${name}'): bad checksum${hint}`,
    );
  }
}

function mergePax(into: PaxRecords, add: PaxRecords): PaxRecords {
  for (const [k, v] of add) {
    // An empty value removes the keyword (it falls back to the header field).
    if (v.length === 0) into.delete(k);
    else into.set(k, v);
  }
  return into;
}

function cString(body: Uint8Array): string {
  const nul = body.indexOf(0);
  return decodeUtf8(nul < 0 ? body : body.subarray(0, nul));
}

function textRecord(rec: PaxRecords | null, key: string): string | undefined {
  const v = rec?.get(key);
  return v === undefined ? undefined : decodeUtf8(v);
}

function numberRecord(rec: PaxRecords, key: string, name: string): number | undefined {
  const text = textRecord(rec, key);
  if (text === undefined) return undefined;
  if (!/^\d{1,16}$/.test(text) || Number(text) > Number.MAX_SAFE_INTEGER) {
    throw new InvalidArgumentError(`tar entry '${name}': invalid PAX ${key} '${printable(text)}'`);
  }
  return Number(text);
}

function mtimeRecord(rec: PaxRecords, name: string): number | undefined {
  const text = textRecord(rec, 'mtime');
  if (text === undefined) return undefined;
  const m = /^(-?)(\d{1,15})(?:\.(\d*))?$/.exec(text);
  if (!m) throw new InvalidArgumentError(`tar entry '${name}': invalid PAX mtime '${printable(text)}'`);
  const frac = m[3] ?? '';
  const ms = Number(`${m[2]}${frac.slice(0, 3).padEnd(3, '0')}.${frac.slice(3) || '0'}`);
  return m[1] ? -ms : ms;
}

function xattrsOf(rec: PaxRecords, name: string): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const [key, value] of rec) {
    if (key.startsWith('SCHILY.xattr.')) {
      out.set(key.slice('SCHILY.xattr.'.length), value);
    } else if (key.startsWith('LIBARCHIVE.xattr.')) {
      try {
        const attr = decodeURIComponent(key.slice('LIBARCHIVE.xattr.'.length));
        const bin = atob(decodeUtf8(value));
        const bytes = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
        out.set(attr, bytes);
      } catch {
        throw new InvalidArgumentError(`tar entry '${name}': malformed PAX record '${key}'`);
      }
    }
  }
  return out;
}

function printable(s: string): string {
  return s.length > 40 ? `${JSON.stringify(s.slice(0, 40)).slice(1, -1)}…` : JSON.stringify(s).slice(1, -1);
}
