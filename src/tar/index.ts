/** Tar archives: a streaming reader and a deterministic writer. */
export type {
  ReadTarOptions,
  TarEntry,
  TarEntryType,
  TarHeader,
  TarWriteEntry,
  TarWriteHeader,
} from './types.js';
export { readTar, DEFAULT_MAX_ENTRY_SIZE } from './reader.js';
export { writeTar } from './writer.js';
