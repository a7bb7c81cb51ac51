/** Node's native zlib as berth's codecs (zstd natively where Node has it, else fzstd). */
import { Readable, type Transform, pipeline } from 'node:stream';
import * as zlib from 'node:zlib';
import { guardCodec } from '../compress/errors.js';
import { unzstdJs } from '../compress/zstd.js';
import type { ByteStream, Codecs } from '../platform.js';

/** Output chunk size: big chunks keep per-chunk overhead (hashing, parsing) low. */
const CHUNK = 256 * 1024;

function run(make: () => Transform, source: ByteStream): ByteStream {
  return (async function* () {
    const t = make();
    pipeline(Readable.from(source, { objectMode: false }), t, () => undefined);
    yield* t as AsyncIterable<Uint8Array>;
  })();
}

type ZstdFactory = (opts: { chunkSize: number }) => Transform;
const nativeZstd = (zlib as unknown as { createZstdDecompress?: ZstdFactory }).createZstdDecompress;

export const nodeCodecs: Codecs = {
  gunzip: (source) =>
    guardCodec('gzip', source, (s) => run(() => zlib.createGunzip({ chunkSize: CHUNK }), s)),
  gzip: (source) => run(() => zlib.createGzip({ chunkSize: CHUNK }), source),
  unzstd: (source) =>
    guardCodec('zstd', source, nativeZstd ? (s) => run(() => nativeZstd({ chunkSize: CHUNK }), s) : unzstdJs),
};
