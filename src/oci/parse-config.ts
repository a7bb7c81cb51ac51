/** Validated parsing of image configurations (OCI and Docker). */
import { Fields, parseJsonObject } from './fields.js';
import type { ContainerConfig, HistoryEntry, ImageConfig } from './types.js';

function parseContainerConfig(f: Fields): ContainerConfig {
  const out = f.copy() as ContainerConfig;
  f.optString('User');
  f.optObjectMap('ExposedPorts');
  f.optStringArray('Env');
  f.optStringArray('Entrypoint');
  f.optStringArray('Cmd');
  f.optObjectMap('Volumes');
  f.optString('WorkingDir');
  f.optStringMap('Labels');
  f.optString('StopSignal');
  f.optBoolean('ArgsEscaped');
  f.optStringArray('Shell');
  f.optStringArray('OnBuild');
  const hc = f.optObject('Healthcheck');
  if (hc) {
    hc.optStringArray('Test');
    for (const k of ['Interval', 'Timeout', 'StartPeriod', 'StartInterval', 'Retries']) hc.optNumber(k);
    out.Healthcheck = hc.copy();
  }
  return out;
}

function parseHistory(f: Fields): HistoryEntry {
  for (const k of ['created', 'author', 'created_by', 'comment']) f.optString(k);
  f.optBoolean('empty_layer');
  return f.copy();
}

/**
 * Parse an image configuration. `where` names the document in errors, e.g.
 * 'config sha256:ab…'. Requires architecture, os and rootfs (type 'layers' with
 * diff_ids). Null-valued fields (Docker writes them) are dropped. Throws
 * InvalidArgumentError.
 */
export function parseConfig(bytes: Uint8Array | string, where: string): ImageConfig {
  const f = new Fields(where, parseJsonObject(bytes, where));
  const out = f.copy() as unknown as ImageConfig;
  out.architecture = f.string('architecture');
  out.os = f.string('os');
  for (const k of ['created', 'author', 'os.version', 'variant']) f.optString(k);
  f.optStringArray('os.features');
  const rootfs = f.object('rootfs');
  const type = rootfs.string('type');
  if (type !== 'layers') rootfs.fail('type', `must be 'layers' (got '${type}')`);
  out.rootfs = { ...rootfs.copy(), type: 'layers', diff_ids: rootfs.digestArray('diff_ids') };
  const config = f.optObject('config');
  if (config) out.config = parseContainerConfig(config);
  if (f.has('history')) out.history = f.objects('history').map(parseHistory);
  return out;
}
