/** The Linux backend (Node only): layer directories, overlayfs roots, an OCI runtime. */
export { checkLinuxHost, LinuxHostError, type HostCheck } from './host-check.js';
export { chooseRuntime, type RuntimeChoice } from './oci-runtime.js';
export { LayerDirs } from './layer-store.js';
export { writeLayerDir } from './layer-dir.js';
export { cleanupStale, type CleanupReport } from './cleanup.js';
export { cgroupLayout, type CgroupStats } from './cgroups.js';
export type { BindVolume, TmpfsMount } from './oci-spec.js';
export {
  LinuxRuntime,
  ContainerStartError,
  type LinuxCreateOptions,
  type ContainerStdio,
  type ExitStatus,
  type ExecOptions,
  type ExecHandle,
} from './linux-runtime.js';
