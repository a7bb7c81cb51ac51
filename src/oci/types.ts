/**
 * Image documents (OCI image-spec; Docker v2s2 uses the same shapes). Parsers in
 * parse-*.ts return these after validation, keeping any fields not listed here.
 */
import type { Platform } from './platform.js';

export type Annotations = Record<string, string>;

/** A content descriptor: what a blob is, its digest and size. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  urls?: string[];
  annotations?: Annotations;
  /** Base64 of the blob's bytes, embedded. */
  data?: string;
  artifactType?: string;
  /** Only on manifests listed in an index. */
  platform?: DescriptorPlatform;
}

export interface DescriptorPlatform extends Platform {
  'os.features'?: string[];
  /** Docker manifest lists: CPU features. */
  features?: string[];
}

export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  manifests: Descriptor[];
  subject?: Descriptor;
  annotations?: Annotations;
}

export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Annotations;
}

export interface HealthConfig {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  StartInterval?: number;
  Retries?: number;
}

/** The execution parameters in an image config (`config` field). */
export interface ContainerConfig {
  User?: string;
  /** Keys like '80/tcp'; values are empty objects. */
  ExposedPorts?: Record<string, object>;
  /** 'NAME=value' entries. */
  Env?: string[];
  Entrypoint?: string[];
  Cmd?: string[];
  Volumes?: Record<string, object>;
  WorkingDir?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
  ArgsEscaped?: boolean;
  /** Docker extensions. */
  Healthcheck?: HealthConfig;
  Shell?: string[];
  OnBuild?: string[];
}

export interface HistoryEntry {
  created?: string;
  author?: string;
  created_by?: string;
  comment?: string;
  empty_layer?: boolean;
}

export interface RootFs {
  type: 'layers';
  /** Digests of the uncompressed layer tars, bottom first. */
  diff_ids: string[];
}

export interface ImageConfig {
  created?: string;
  author?: string;
  architecture: string;
  os: string;
  'os.version'?: string;
  'os.features'?: string[];
  variant?: string;
  config?: ContainerConfig;
  rootfs: RootFs;
  history?: HistoryEntry[];
}
