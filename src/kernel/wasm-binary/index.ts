/** Reading and rewriting WebAssembly core module binaries. */
export * from './reader.js';
export * from './module-info.js';
export * from './shared-memory.js';
export * from './suspendable.js';
