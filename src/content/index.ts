/** Content-addressed blob storage (browser-safe parts). */
export * from './gc.js';
export * from './ingest.js';
export * from './memory-store.js';
export * from './refs.js';
export type * from './store.js';
