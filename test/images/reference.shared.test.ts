import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import { familiarName, formatReference, normalizeName, parseReference } from '../../src/images/reference.js';

const D = `sha256:${'a'.repeat(64)}`;

describe('parseReference', () => {
  it.each([
    ['busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36', 'busybox:1.36'],
    ['library/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['docker.io/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['index.docker.io/library/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['fixtures/umoci:v2', 'docker.io/fixtures/umoci:v2', 'fixtures/umoci:v2'],
    ['quay.io/a/b/c:t', 'quay.io/a/b/c:t', 'quay.io/a/b/c:t'],
    ['localhost/app', 'localhost/app:latest', 'localhost/app:latest'],
    ['localhost:5000/app:1', 'localhost:5000/app:1', 'localhost:5000/app:1'],
    ['127.0.0.1:5000/x/y', '127.0.0.1:5000/x/y:latest', '127.0.0.1:5000/x/y:latest'],
    ['[::1]:5000/app', '[::1]:5000/app:latest', '[::1]:5000/app:latest'],
    ['Registry/app', 'Registry/app:latest', 'Registry/app:latest'],
    ['x/a__b.c-d---e/f_g', 'docker.io/x/a__b.c-d---e/f_g:latest', 'x/a__b.c-d---e/f_g:latest'],
    [`busybox@${D}`, `docker.io/library/busybox@${D}`, `busybox@${D}`],
    [`busybox:1@${D}`, `docker.io/library/busybox:1@${D}`, `busybox:1@${D}`],
  ])('%s → %s', (input, full, familiar) => {
    const ref = parseReference(input);
    expect(formatReference(ref)).toBe(full);
    expect(familiarName(ref)).toBe(familiar);
  });

  it('splits domain, path, tag and digest', () => {
    expect(parseReference(`localhost:5000/a/b:v1@${D}`)).toEqual({
      domain: 'localhost:5000',
      path: 'a/b',
      tag: 'v1',
      digest: D,
    });
    expect(parseReference('busybox', { defaultTag: false })).toEqual({
      domain: 'docker.io',
      path: 'library/busybox',
    });
    expect(normalizeName('alpine:3')).toBe('docker.io/library/alpine:3');
  });

  it.each([
    ['', /empty/],
    ['Busybox', /lowercase/],
    ['docker.io/Library/x', /lowercase/],
    ['busybox:', /not a valid tag/],
    ['busybox:-bad', /not a valid tag/],
    [`busybox:${'t'.repeat(129)}`, /not a valid tag/],
    ['busybox@sha256:abc', /not a valid digest/],
    ['a//b', /path component/],
    ['a/b/', /path component/],
    ['-a', /path component/],
    ['a..b', /path component/],
    [':tag', /missing repository/],
    ['bad_host.com:port/x', /registry host/],
    ['a'.repeat(64), /64-byte hexadecimal/],
    [`x/${'a'.repeat(260)}`, /longer than 255/],
  ])('rejects %j', (input, why) => {
    expect(() => parseReference(input)).toThrow(InvalidArgumentError);
    expect(() => parseReference(input)).toThrow(why);
  });
});
