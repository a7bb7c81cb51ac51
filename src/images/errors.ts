/** Errors particular to image management. */
import { BerthError } from '../errors.js';

/**
 * An operation that would break another user of an image, e.g. removing by ID an image
 * that several names point at without `force` (Docker answers "conflict" too).
 */
export class ConflictError extends BerthError {}
