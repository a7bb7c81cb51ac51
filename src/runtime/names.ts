/**
 * Container names and ids as Docker treats them: a generated `adjective_noun` name when
 * none is given, names unique per store, and lookup by full id, name, or a unique prefix
 * of the id.
 */
import { InvalidArgumentError, NotFoundError } from '../errors.js';
import { ConflictError } from '../images/errors.js';
import type { ContainerRecord } from './records.js';

const ADJECTIVES = [
  'brave',
  'calm',
  'eager',
  'fond',
  'gentle',
  'happy',
  'jolly',
  'keen',
  'lucid',
  'merry',
  'nimble',
  'proud',
  'quiet',
  'sharp',
  'steady',
  'swift',
  'tender',
  'vivid',
  'wise',
  'zealous',
];
const NOUNS = [
  'anchor',
  'bollard',
  'buoy',
  'cargo',
  'dock',
  'ferry',
  'harbor',
  'hull',
  'jetty',
  'keel',
  'lighthouse',
  'mooring',
  'pier',
  'quay',
  'rudder',
  'schooner',
  'tug',
  'wharf',
  'sloop',
  'mast',
];

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export function checkName(name: string): string {
  const n = name.startsWith('/') ? name.slice(1) : name;
  if (!NAME.test(n))
    throw new InvalidArgumentError(
      `Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`,
    );
  return n;
}

export function generateName(taken: Set<string>): string {
  const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
  for (let i = 0; ; i++) {
    const name = `${pick(ADJECTIVES)}_${pick(NOUNS)}${i >= 10 ? String(i) : ''}`;
    if (!taken.has(name)) return name;
  }
}

export function nameConflict(name: string, owner: ContainerRecord): ConflictError {
  return new ConflictError(
    `Conflict. The container name "/${name}" is already in use by container "${owner.id}". You have to remove (or rename) that container to be able to reuse that name.`,
  );
}

/** The record `ref` names: full id, name, or a unique id prefix. */
export function findRecord(records: ContainerRecord[], ref: string): ContainerRecord {
  const name = ref.startsWith('/') ? ref.slice(1) : ref;
  const exact = records.find((r) => r.id === ref || r.name === name);
  if (exact) return exact;
  const byPrefix = /^[0-9a-f]+$/.test(ref) ? records.filter((r) => r.id.startsWith(ref)) : [];
  if (byPrefix.length === 1) return byPrefix[0]!;
  if (byPrefix.length > 1) throw new InvalidArgumentError(`multiple IDs found with provided prefix: ${ref}`);
  throw new NotFoundError(`No such container: ${ref}`);
}
