/**
 * Target platforms ('linux/arm64/v8'): parsing, normalization of the many spellings
 * of one architecture, matching, and choosing a manifest from an index.
 */
import { InvalidArgumentError, UnsupportedPlatformError } from '../errors.js';
import type { Descriptor, ImageIndex } from './types.js';

/** The platform fields of an image config or index entry. */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
  'os.version'?: string;
}

const ARCH_ALIASES: Record<string, { architecture: string; variant?: string }> = {
  x86_64: { architecture: 'amd64' },
  'x86-64': { architecture: 'amd64' },
  aarch64: { architecture: 'arm64' },
  armhf: { architecture: 'arm', variant: 'v7' },
  armel: { architecture: 'arm', variant: 'v6' },
  armv5l: { architecture: 'arm', variant: 'v5' },
  armv6l: { architecture: 'arm', variant: 'v6' },
  armv7l: { architecture: 'arm', variant: 'v7' },
  i386: { architecture: '386' },
  i686: { architecture: '386' },
  x86: { architecture: '386' },
};

/**
 * Canonical form: lowercase; x86_64 → amd64; aarch64 → arm64 (variant v8 by default);
 * arm → variant v7 by default; bare variant numbers gain a 'v' ('8' → 'v8'); the amd64
 * baseline variant 'v1' is dropped.
 */
export function normalizePlatform(p: Platform): Platform {
  let architecture = p.architecture.toLowerCase();
  let variant = p.variant?.toLowerCase() || undefined;
  const alias = ARCH_ALIASES[architecture];
  if (alias) {
    architecture = alias.architecture;
    variant ??= alias.variant;
  }
  if (variant && /^\d+$/.test(variant)) variant = `v${variant}`;
  if (architecture === 'arm64') variant ??= 'v8';
  if (architecture === 'arm') variant ??= 'v7';
  if (architecture === 'amd64' && variant === 'v1') variant = undefined;
  const out: Platform = { os: p.os.toLowerCase(), architecture };
  if (variant) out.variant = variant;
  if (p['os.version']) out['os.version'] = p['os.version'];
  return out;
}

/** 'os/arch[/variant]', normalized; InvalidArgumentError on anything else. */
export function parsePlatform(spec: string): Platform {
  const parts = spec.trim().split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((s) => s === '')) {
    throw new InvalidArgumentError(
      `invalid platform '${spec}': expected os/arch[/variant], e.g. linux/arm64/v8`,
    );
  }
  const [os, architecture, variant] = parts as [string, string, string?];
  return normalizePlatform(variant ? { os, architecture, variant } : { os, architecture });
}

/** 'linux/arm64/v8' */
export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/**
 * True when an image built for `have` suits `want`: same os and architecture and
 * variant after normalization; `os.version` must also agree when `want` names one.
 */
export function matchPlatform(want: Platform, have: Platform): boolean {
  const w = normalizePlatform(want);
  const h = normalizePlatform(have);
  if (w.os !== h.os || w.architecture !== h.architecture || w.variant !== h.variant) return false;
  return w['os.version'] === undefined || w['os.version'] === h['os.version'];
}

/**
 * The first manifest in `index` whose platform matches `want` (entries without a
 * platform never match). UnsupportedPlatformError, listing what exists, when none does.
 */
export function selectManifest(index: ImageIndex, want: Platform): Descriptor {
  for (const d of index.manifests) {
    if (d.platform && matchPlatform(want, d.platform)) return d;
  }
  const available = index.manifests.flatMap((d) =>
    d.platform ? [formatPlatform(normalizePlatform(d.platform))] : [],
  );
  throw new UnsupportedPlatformError(
    `no image for ${formatPlatform(normalizePlatform(want))} (available: ${available.length ? [...new Set(available)].join(', ') : 'none'})`,
  );
}
