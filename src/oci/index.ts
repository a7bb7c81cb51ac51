/** OCI image model: digests, media types, documents, platforms, layout constants. */
export * from './chain-id.js';
export * from './digest.js';
export * from './digest-stream.js';
export * from './fields.js';
export * from './layout.js';
export * from './media-types.js';
export * from './parse-config.js';
export * from './parse-descriptor.js';
export * from './parse-index.js';
export * from './parse-manifest.js';
export * from './platform.js';
export type * from './types.js';
