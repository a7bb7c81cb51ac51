/**
 * Codecs from web platform primitives: DecompressionStream/CompressionStream for gzip
 * and fzstd for zstd. Works in browsers and in Node ≥ 18.
 */
import type { ByteStream, Codecs } from '../platform.js';
import { guardCodec } from './errors.js';
import { through } from './web-streams.js';
import { unzstdJs } from './zstd.js';

export const browserCodecs: Codecs = {
  gunzip: (source: ByteStream) =>
    guardCodec('gzip', source, (s) =>
      through(s, new DecompressionStream('gzip') as ReadableWritablePair<Uint8Array, Uint8Array>),
    ),
  gzip: (source: ByteStream) =>
    through(source, new CompressionStream('gzip') as ReadableWritablePair<Uint8Array, Uint8Array>),
  unzstd: (source: ByteStream) => guardCodec('zstd', source, unzstdJs),
};
