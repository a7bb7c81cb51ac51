/** Compression: format detection, auto-detecting decompression, size limits. */
export { type Compression, detectCompression } from './detect.js';
export { decompress } from './decompress.js';
export { limitBytes } from './limit.js';
export { codecError, guardCodec } from './errors.js';
export { byteStream, peek, concat } from './stream.js';
export { unzstdJs } from './zstd.js';
