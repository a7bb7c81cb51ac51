/**
 * The few error classes that stores, importers and runtimes throw, so callers and the
 * CLI can branch on them. Messages name the object (digest, path, image, field).
 * Filesystem and kernel calls use FsError (src/vfs/errno.ts) instead.
 */
export class BerthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
export class NotFoundError extends BerthError {}
export class AlreadyExistsError extends BerthError {}
/** Bad input: malformed JSON, a missing field, an unsafe tar entry, a bad flag. */
export class InvalidArgumentError extends BerthError {}
export class DigestMismatchError extends BerthError {
  constructor(
    readonly expected: string,
    readonly actual: string,
    what: string,
  ) {
    super(`digest mismatch for ${what}: expected ${expected}, got ${actual}`);
  }
}
export class UnsupportedPlatformError extends BerthError {}
/** A configured limit was exceeded (decompression bomb, entry size, pids, memory). */
export class ResourceLimitError extends BerthError {}
