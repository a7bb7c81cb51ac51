/** Validation of descriptors, shared by the index and manifest parsers. */
import type { Fields } from './fields.js';
import type { Descriptor, DescriptorPlatform } from './types.js';

function parsePlatformField(f: Fields): DescriptorPlatform {
  f.string('architecture');
  f.string('os');
  f.optString('variant');
  f.optString('os.version');
  f.optStringArray('os.features');
  f.optStringArray('features');
  return f.copy() as unknown as DescriptorPlatform;
}

/** A descriptor object (mediaType, digest, size required); unknown fields are kept. */
export function parseDescriptor(f: Fields): Descriptor {
  const out = f.copy() as unknown as Descriptor;
  out.mediaType = f.string('mediaType');
  out.digest = f.digest('digest');
  out.size = f.size('size');
  f.optStringArray('urls');
  f.optStringMap('annotations');
  f.optString('data');
  f.optString('artifactType');
  const platform = f.optObject('platform');
  if (platform) out.platform = parsePlatformField(platform);
  return out;
}
