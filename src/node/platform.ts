/** Installs Node's native SHA-256 and zlib as berth's platform services. */
export {};
