/** The virtual filesystem layer: inode model, path walker, MemFs and OverlayFs. */
export * from './errno.js';
export * from './inode.js';
export * from './filesystem.js';
export * from './cred.js';
export { PATH_MAX, NAME_MAX, MAX_SYMLINKS } from './path.js';
export { resolvePath, LookupMode, LastType, type Resolved, type WalkHost } from './resolve.js';
export { PathFs, type FsOptions } from './path-fs.js';
export { MemFs } from './memfs.js';
export { OverlayFs, type OverlayOptions, type RootAttrs } from './overlay.js';
export { LowerNode, lowerStack } from './overlay-lower.js';
