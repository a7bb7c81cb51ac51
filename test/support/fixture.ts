/**
 * Binary fixtures for shared tests. Import the file with Vite's `?url` suffix and pass
 * the URL here: browsers fetch it from the Vitest server; Node reads it from disk through
 * the hook test/support/node-setup.ts installs (so this module imports nothing from node:).
 */
/// <reference types="vite/client" />

type ReadFixture = (url: string) => Uint8Array;

export async function fixtureBytes(url: string): Promise<Uint8Array> {
  const read = (globalThis as { __berthReadFixture?: ReadFixture }).__berthReadFixture;
  if (read !== undefined) return read(url);
  const res = await fetch(url);
  if (!res.ok) throw new Error(`fixture ${url}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}
