#!/usr/bin/env node
/* global URL */
const { statSync } = process.getBuiltinModule?.('node:fs') ?? (await import('node:fs'));
const { createRequire } = process.getBuiltinModule?.('node:module') ?? (await import('node:module'));

// dist/berth.cjs (scripts/bundle-cli.mjs) is the whole CLI in one file, much faster to
// load than tsc's modules; it is used unless tsc has written dist/ again since.
const bundle = new URL('../dist/berth.cjs', import.meta.url);
const mtime = (url) => statSync(url, { throwIfNoEntry: false })?.mtimeMs;
const bundled = (mtime(bundle) ?? -1) >= (mtime(new URL('../dist/cli/main.js', import.meta.url)) ?? 0);
const { main, prewarm } = bundled
  ? createRequire(import.meta.url)('../dist/berth.cjs')
  : {
      ...(await import('../dist/cli/main.js')),
      ...(await import('../dist/node/engine.js')),
    };

/**
 * Whether the command will run an emulated process in this process: `run` (not -d, not
 * --backend linux), `start -a`/`-i`, `__serve`. A guess from the words alone; a wrong
 * guess costs a worker thread booting, or the time it would have saved.
 */
function runsHere(argv) {
  let i = 0;
  while (i < argv.length && argv[i].startsWith('-')) i += argv[i] === '--root' ? 2 : 1;
  const verb = argv[i];
  const args = argv.slice(i + 1);
  const end = args.indexOf('--');
  const flags = end < 0 ? args : args.slice(0, end);
  const short = (letters) => flags.some((a) => new RegExp(`^-[a-zA-Z]*[${letters}]`).test(a));
  if (verb === '__serve') return true;
  if (verb === 'start') return short('ai') || flags.includes('--attach') || flags.includes('--interactive');
  if (verb !== 'run') return false;
  const linux = flags.some(
    (a, j) => a === '--backend=linux' || (a === '--backend' && flags[j + 1] === 'linux'),
  );
  return !linux && !short('dh') && !flags.includes('--detach') && !flags.includes('--help');
}

// A closed pipe (`berth images | head`) is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

const argv = process.argv.slice(2);
// Boot the emulated kernel's workers while the CLI opens the store and reads the image.
const release = runsHere(argv) ? prewarm() : () => {};

main(argv).then(
  (code) => {
    release();
    process.exitCode = code;
  },
  (err) => {
    release();
    process.stderr.write(`berth: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 125;
  },
);
