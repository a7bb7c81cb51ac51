import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, UnsupportedPlatformError } from '../../src/errors.js';
import {
  formatPlatform,
  matchPlatform,
  normalizePlatform,
  parsePlatform,
  selectManifest,
  type Platform,
} from '../../src/oci/platform.js';
import type { Descriptor, ImageIndex } from '../../src/oci/types.js';

const d = (n: number, platform?: Descriptor['platform']): Descriptor => ({
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: `sha256:${String(n).repeat(64).slice(0, 64)}`,
  size: 100 + n,
  ...(platform ? { platform } : {}),
});

describe('platforms', () => {
  it('parses os/arch[/variant] into normal form', () => {
    expect(parsePlatform('linux/arm64/v8')).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' });
    expect(parsePlatform('linux/arm64')).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' });
    expect(parsePlatform('linux/aarch64')).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' });
    expect(parsePlatform('linux/x86_64')).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(parsePlatform('Linux/AMD64')).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(parsePlatform('linux/arm')).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' });
    expect(parsePlatform('linux/arm/6')).toEqual({ os: 'linux', architecture: 'arm', variant: 'v6' });
    expect(parsePlatform('linux/armhf')).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' });
  });

  it('rejects malformed platform strings', () => {
    for (const bad of ['linux', 'linux/', '/amd64', 'linux/arm/v7/x', '']) {
      expect(() => parsePlatform(bad), bad).toThrow(InvalidArgumentError);
    }
  });

  it('normalizes and formats', () => {
    expect(normalizePlatform({ os: 'linux', architecture: 'amd64', variant: 'v1' })).toEqual({
      os: 'linux',
      architecture: 'amd64',
    });
    expect(
      normalizePlatform({ os: 'windows', architecture: 'amd64', 'os.version': '10.0.17763.1' })['os.version'],
    ).toBe('10.0.17763.1');
    expect(formatPlatform(parsePlatform('linux/aarch64'))).toBe('linux/arm64/v8');
    expect(formatPlatform({ os: 'linux', architecture: 'amd64' })).toBe('linux/amd64');
  });

  it('matches across spellings but not across variants or os', () => {
    const arm64: Platform = { os: 'linux', architecture: 'arm64' };
    expect(matchPlatform(parsePlatform('linux/aarch64'), arm64)).toBe(true);
    expect(matchPlatform(parsePlatform('linux/arm64/v8'), arm64)).toBe(true);
    expect(matchPlatform(parsePlatform('linux/x86_64'), { os: 'linux', architecture: 'amd64' })).toBe(true);
    expect(
      matchPlatform(parsePlatform('linux/arm'), { os: 'linux', architecture: 'arm', variant: 'v7' }),
    ).toBe(true);
    expect(
      matchPlatform(parsePlatform('linux/arm/v6'), { os: 'linux', architecture: 'arm', variant: 'v7' }),
    ).toBe(false);
    expect(matchPlatform(parsePlatform('linux/amd64'), { os: 'windows', architecture: 'amd64' })).toBe(false);
    expect(matchPlatform(parsePlatform('linux/amd64'), arm64)).toBe(false);
  });

  it('requires os.version only when asked for', () => {
    const have: Platform = { os: 'windows', architecture: 'amd64', 'os.version': '10.0.1' };
    expect(matchPlatform({ os: 'windows', architecture: 'amd64' }, have)).toBe(true);
    expect(matchPlatform({ os: 'windows', architecture: 'amd64', 'os.version': '10.0.1' }, have)).toBe(true);
    expect(matchPlatform({ os: 'windows', architecture: 'amd64', 'os.version': '10.0.2' }, have)).toBe(false);
  });
});

describe('selectManifest', () => {
  const index: ImageIndex = {
    schemaVersion: 2,
    manifests: [
      d(1),
      d(2, { os: 'linux', architecture: 'amd64' }),
      d(3, { os: 'linux', architecture: 'arm64', variant: 'v8' }),
      d(4, { os: 'linux', architecture: 'aarch64' }),
      d(5, { os: 'linux', architecture: 'arm', variant: 'v6' }),
    ],
  };

  it('returns the first match', () => {
    expect(selectManifest(index, parsePlatform('linux/arm64')).size).toBe(103);
    expect(
      selectManifest({ ...index, manifests: index.manifests.slice(3) }, parsePlatform('linux/arm64/v8')).size,
    ).toBe(104);
    expect(selectManifest(index, parsePlatform('linux/x86_64')).size).toBe(102);
    expect(selectManifest(index, parsePlatform('linux/arm/v6')).size).toBe(105);
  });

  it('names the wanted and the available platforms when nothing matches', () => {
    expect(() => selectManifest(index, parsePlatform('linux/riscv64'))).toThrow(UnsupportedPlatformError);
    expect(() => selectManifest(index, parsePlatform('linux/riscv64'))).toThrow(
      'no image for linux/riscv64 (available: linux/amd64, linux/arm64/v8, linux/arm/v6)',
    );
    expect(() =>
      selectManifest({ schemaVersion: 2, manifests: [d(1)] }, parsePlatform('linux/amd64')),
    ).toThrow(/available: none/);
  });
});
