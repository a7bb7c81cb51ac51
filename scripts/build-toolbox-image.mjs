#!/usr/bin/env node
/**
 * Build berth/toolbox:latest from the committed programs in wasm/build (WASI) and
 * wasm/build/linux-amd64 (native) into dist/toolbox-image, an OCI layout that ships in
 * the package and is loaded into the image store on first use. Runs after tsc in
 * `npm run build`, with berth's own image code (dist/toolbox).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import '../dist/node/platform.js';
import { parseAppletList } from '../dist/toolbox/applets.js';
import { buildToolboxLayout } from '../dist/toolbox/image.js';

const top = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(top, 'dist', 'toolbox-image');
const programs = (dir, suffix) => ({
  sh: readFileSync(join(dir, `sh${suffix}`)),
  toolbox: readFileSync(join(dir, `toolbox${suffix}`)),
});

const nativeDir = join(top, 'wasm', 'build', 'linux-amd64');
const native = existsSync(join(nativeDir, 'toolbox')) ? programs(nativeDir, '') : undefined;
if (!native)
  process.stderr.write(
    'berth: no native builds in wasm/build/linux-amd64: toolbox image without linux/amd64\n',
  );
const files = await buildToolboxLayout({
  wasm: programs(join(top, 'wasm', 'build'), '.wasm'),
  native,
  applets: parseAppletList(readFileSync(join(top, 'wasm', 'toolbox', 'applets.def'), 'utf8')),
});
rmSync(out, { recursive: true, force: true });
for (const [path, bytes] of files) {
  mkdirSync(dirname(join(out, path)), { recursive: true });
  writeFileSync(join(out, path), bytes);
}
