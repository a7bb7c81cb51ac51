#!/usr/bin/env node
/**
 * Bundle the CLI (tsc's output in dist/) into one file, dist/berth.cjs, which bin/berth.js
 * loads when it is at least as new as dist/cli/main.js. Node loads one file much faster
 * than berth's ~190 ES modules (each one resolved, read, compiled and linked on its own).
 * Runs last in `npm run build`. The bundler is rolldown, which vite (a devDependency)
 * brings along.
 *
 * The bundle is CommonJS so that Node's built-in modules can be loaded on first use: each
 * `require("node:…")` rolldown emits becomes an object that requires the module when one
 * of its properties is first read (a command that never spawns a child never loads
 * node:child_process). Whitespace and comments are left out and strings kept ASCII, so
 * there is less to read and parse; names are kept, for readable stack traces.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const top = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(top, 'dist');
const out = join(dist, 'berth.cjs');

/** rolldown as installed for vite (hoisted to node_modules, else found through vite). */
async function loadRolldown() {
  try {
    return await import('rolldown');
  } catch {
    const viteRequire = createRequire(createRequire(import.meta.url).resolve('vite/package.json'));
    return import(pathToFileURL(viteRequire.resolve('rolldown')).href);
  }
}

// What bin/berth.js needs: the CLI, and prewarm() to boot the kernel's workers early.
const ENTRY = '\0berth-cli-entry';
const entrySource = `export { main } from ${JSON.stringify(join(dist, 'cli', 'main.js'))};
export { prewarm } from ${JSON.stringify(join(dist, 'node', 'engine.js'))};
`;

// A built-in module required on first property access (`default` is the module itself, as
// for an ES import of a built-in). On one line, so the source map stays right below it.
const LAZY =
  'const __berthLazy=(id)=>{let m;const get=()=>(m??=require(id));' +
  'return new Proxy({},{get:(_,k)=>k==="default"?get():get()[k]})};';

const { rolldown } = await loadRolldown();
const bundle = await rolldown({
  input: ENTRY,
  platform: 'node',
  logLevel: 'warn',
  plugins: [
    {
      name: 'berth-cli-entry',
      resolveId: (id) => (id === ENTRY ? id : null),
      load: (id) => (id === ENTRY ? entrySource : null),
    },
  ],
});
await bundle.write({
  file: out,
  format: 'cjs',
  // one file: dynamic imports (a verb's rarely used parts) are inlined too
  codeSplitting: false,
  sourcemap: true,
  comments: false,
  minify: { compress: false, mangle: false, codegen: { removeWhitespace: true, asciiOnly: true } },
  intro: LAZY,
});
await bundle.close();

// `let node_fs = require("node:fs");` → `let node_fs = __berthLazy("node:fs");`, and no
// `node_fs = __toESM(node_fs, 1);` (which would read every export at once).
let code = readFileSync(out, 'utf8');
const lazy = new Set();
code = code.replace(/\blet (node_\w+)\s*=\s*require\(("node:[\w/]+")\);/g, (_, name, id) => {
  lazy.add(name);
  return `let ${name}=__berthLazy(${id});`;
});
code = code.replace(/\b(node_\w+)\s*=\s*__toESM\(\1,\s*1\);/g, (m, name) => (lazy.has(name) ? '' : m));
if (lazy.size === 0) process.stderr.write('bundle-cli: no built-in module requires found to make lazy\n');
writeFileSync(out, code);

// The bundle must load; bin/berth.js trusts it only when it is newer than tsc's output.
const loaded = createRequire(import.meta.url)(out);
if (typeof loaded.main !== 'function' || typeof loaded.prewarm !== 'function')
  throw new Error(`${out} does not export main and prewarm`);
if (statSync(out).mtimeMs < statSync(join(dist, 'cli', 'main.js')).mtimeMs)
  throw new Error(`${out} is older than dist/cli/main.js`);
