/**
 * Content digests ('<algorithm>:<encoded>', OCI image-spec "Digests"). berth computes
 * and stores sha256 only; sha512 digests are accepted syntactically so that parsers do
 * not reject valid documents that merely mention them.
 */
import { InvalidArgumentError } from '../errors.js';
import { platform } from '../platform.js';

export type DigestAlgorithm = 'sha256' | 'sha512';

export interface ParsedDigest {
  algorithm: DigestAlgorithm;
  /** Lowercase hex: 64 characters for sha256, 128 for sha512. */
  hex: string;
}

const PATTERNS: Record<DigestAlgorithm, RegExp> = {
  sha256: /^[a-f0-9]{64}$/,
  sha512: /^[a-f0-9]{128}$/,
};

/** True for 'sha256:<64 lowercase hex>' or 'sha512:<128 lowercase hex>'. */
export function isValidDigest(d: unknown): boolean {
  if (typeof d !== 'string') return false;
  const colon = d.indexOf(':');
  const alg = d.slice(0, colon);
  return (alg === 'sha256' || alg === 'sha512') && PATTERNS[alg].test(d.slice(colon + 1));
}

/** Split a digest into algorithm and hex; InvalidArgumentError when malformed. */
export function parseDigest(d: string): ParsedDigest {
  if (typeof d !== 'string' || !isValidDigest(d)) {
    throw new InvalidArgumentError(
      `invalid digest '${String(d).slice(0, 140)}': expected sha256:<64 lowercase hex>`,
    );
  }
  const colon = d.indexOf(':');
  return { algorithm: d.slice(0, colon) as DigestAlgorithm, hex: d.slice(colon + 1) };
}

/** Like parseDigest, but only sha256 (the one algorithm berth stores). */
export function parseSha256(d: string): string {
  const p = parseDigest(d);
  if (p.algorithm !== 'sha256')
    throw new InvalidArgumentError(`unsupported digest algorithm '${p.algorithm}' in ${shortDigest(d)}`);
  return p.hex;
}

const encoder = new TextEncoder();

/** One-shot 'sha256:<hex>' of bytes, or of a string's UTF-8 encoding. */
export function sha256Of(data: Uint8Array | string): string {
  const h = platform().sha256();
  h.update(typeof data === 'string' ? encoder.encode(data) : data);
  return h.digest();
}

/** 'sha256:0123456789ab…' for messages. */
export function shortDigest(d: string): string {
  const colon = d.indexOf(':');
  return colon >= 0 && d.length > colon + 13 ? `${d.slice(0, colon + 13)}…` : d;
}
