/**
 * Image references as Docker spells them (distribution's reference grammar):
 *
 *   reference := [domain '/'] path [':' tag] ['@' digest]
 *
 * Normalisation follows Docker: a first component that has no '.', ':' and is not
 * 'localhost' (and is all lowercase) is part of the path on docker.io, and a one-component
 * path on docker.io gets 'library/'. `parseReference('busybox')` is
 * docker.io/library/busybox:latest.
 */
import { InvalidArgumentError } from '../errors.js';
import { isValidDigest } from '../oci/digest.js';

export const DEFAULT_DOMAIN = 'docker.io';
export const DEFAULT_TAG = 'latest';
const LEGACY_DOMAIN = 'index.docker.io';
const OFFICIAL_PREFIX = 'library/';
const MAX_NAME_LENGTH = 255;

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_RE = new RegExp(
  `^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`,
);
const PATH_COMPONENT_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const HEX64_RE = /^[a-f0-9]{64}$/;

/** A parsed, normalised image reference. */
export interface ImageReference {
  /** Registry host[:port], e.g. 'docker.io', 'localhost:5000'. */
  domain: string;
  /** Repository path below the domain, e.g. 'library/busybox'. */
  path: string;
  tag?: string;
  digest?: string;
}

export interface ParseReferenceOptions {
  /** Add ':latest' when neither tag nor digest is given (default true). */
  defaultTag?: boolean;
}

/** True when `s` is a syntactically valid tag. */
export function isValidTag(s: string): boolean {
  return TAG_RE.test(s);
}

/**
 * Parse and normalise a reference; InvalidArgumentError naming the problem when it is
 * not valid (uppercase repository, bad tag, bad digest, empty component, too long).
 */
export function parseReference(input: string, options: ParseReferenceOptions = {}): ImageReference {
  const fail = (why: string): never => {
    throw new InvalidArgumentError(`invalid reference format '${input}': ${why}`);
  };
  if (input === '') fail('empty reference');
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isValidDigest(digest)) fail(`'${digest}' is not a valid digest`);
  }
  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG_RE.test(tag)) fail(`'${tag}' is not a valid tag`);
  }
  if (rest === '') fail('missing repository name');
  if (rest.length > MAX_NAME_LENGTH)
    fail(`repository name must not be longer than ${MAX_NAME_LENGTH} characters`);

  let domain = DEFAULT_DOMAIN;
  let path = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (
      first.includes('.') ||
      first.includes(':') ||
      first === 'localhost' ||
      first.toLowerCase() !== first
    ) {
      domain = first;
      path = rest.slice(slash + 1);
      if (!DOMAIN_RE.test(domain)) fail(`'${domain}' is not a valid registry host`);
    }
  }
  if (domain === LEGACY_DOMAIN) domain = DEFAULT_DOMAIN;
  if (path.toLowerCase() !== path) fail('repository name must be lowercase');
  for (const component of path.split('/')) {
    if (!PATH_COMPONENT_RE.test(component)) fail(`'${component}' is not a valid repository path component`);
  }
  if (domain === DEFAULT_DOMAIN && HEX64_RE.test(path)) {
    fail('cannot specify 64-byte hexadecimal strings as a repository name');
  }
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = OFFICIAL_PREFIX + path;
  if (tag === undefined && digest === undefined && options.defaultTag !== false) tag = DEFAULT_TAG;
  const ref: ImageReference = { domain, path };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

/** 'docker.io/library/busybox' */
export function repositoryOf(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}`;
}

/** The full normalised form: 'docker.io/library/busybox:latest', 'quay.io/a/b@sha256:…'. */
export function formatReference(ref: ImageReference): string {
  return (
    repositoryOf(ref) +
    (ref.tag !== undefined ? `:${ref.tag}` : '') +
    (ref.digest !== undefined ? `@${ref.digest}` : '')
  );
}

/** Docker's short display form of a repository: 'busybox', 'fx/umoci', 'quay.io/a/b'. */
export function familiarRepository(ref: ImageReference): string {
  if (ref.domain !== DEFAULT_DOMAIN) return repositoryOf(ref);
  return ref.path.startsWith(OFFICIAL_PREFIX) ? ref.path.slice(OFFICIAL_PREFIX.length) : ref.path;
}

/** Docker's short display form of a whole reference: 'busybox:latest'. */
export function familiarName(ref: ImageReference): string {
  return (
    familiarRepository(ref) +
    (ref.tag !== undefined ? `:${ref.tag}` : '') +
    (ref.digest !== undefined ? `@${ref.digest}` : '')
  );
}

/** Normalise a name string: 'busybox' → 'docker.io/library/busybox:latest'. */
export function normalizeName(input: string): string {
  return formatReference(parseReference(input));
}

/** Parse without throwing; undefined when invalid. */
export function tryParseReference(
  input: string,
  options?: ParseReferenceOptions,
): ImageReference | undefined {
  try {
    return parseReference(input, options);
  } catch {
    return undefined;
  }
}
