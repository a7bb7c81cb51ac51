/**
 * PAX extended header records ("%d %s=%s\n", the length counting the whole record).
 * Values stay raw bytes so binary xattr values survive; text keys are UTF-8.
 */
import { InvalidArgumentError } from '../errors.js';
import { decodeUtf8, encodeUtf8 } from './fields.js';

export type PaxRecords = Map<string, Uint8Array>;

/** Parses a PAX body; `entry` names the member for error messages. */
export function parsePax(body: Uint8Array, entry: string): PaxRecords {
  const out: PaxRecords = new Map();
  let pos = 0;
  while (pos < body.length) {
    if (body[pos] === 0) break; // NUL padding after the last record
    let len = 0;
    let i = pos;
    while (i < body.length && body[i] >= 0x30 && body[i] <= 0x39) len = len * 10 + (body[i++] - 0x30);
    if (i === pos || body[i] !== 0x20 || len <= i - pos + 1 || pos + len > body.length) {
      throw new InvalidArgumentError(`tar entry '${entry}': malformed PAX record at byte ${pos}`);
    }
    const end = pos + len;
    if (body[end - 1] !== 0x0a) {
      throw new InvalidArgumentError(`tar entry '${entry}': PAX record at byte ${pos} lacks its newline`);
    }
    let eq = i + 1;
    while (eq < end - 1 && body[eq] !== 0x3d) eq++;
    if (eq >= end - 1) {
      throw new InvalidArgumentError(`tar entry '${entry}': PAX record at byte ${pos} lacks '='`);
    }
    if (eq === i + 1) {
      throw new InvalidArgumentError(`tar entry '${entry}': PAX record at byte ${pos} has an empty key`);
    }
    out.set(decodeUtf8(body.subarray(i + 1, eq)), body.slice(eq + 1, end - 1));
    pos = end;
  }
  return out;
}

/** Encodes records in the given order. */
export function encodePax(records: [string, Uint8Array][]): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const [key, value] of records) {
    const k = encodeUtf8(key);
    const rest = 1 + k.length + 1 + value.length + 1; // ' ' key '=' value '\n'
    let len = rest + 1;
    while (String(len).length + rest !== len) len = String(len).length + rest;
    const rec = new Uint8Array(len);
    const prefix = encodeUtf8(`${len} `);
    rec.set(prefix, 0);
    rec.set(k, prefix.length);
    rec[prefix.length + k.length] = 0x3d;
    rec.set(value, prefix.length + k.length + 1);
    rec[len - 1] = 0x0a;
    parts.push(rec);
    total += len;
  }
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
