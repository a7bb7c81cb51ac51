#!/usr/bin/env node
// Runs every bench/*.bench.mjs in turn (each exports `run()` returning
// { title, rows: [{ metric, berth, peer, peerName, unit, goal }] }; berth may be a string
// such as "n/a (why)" for a case that could not run), prints the results
// and writes them with today's date into docs/benchmarks.md.
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const sections = [];
for (const f of files) {
  process.stderr.write(`bench: ${f}\n`);
  const mod = await import(pathToFileURL(join(here, f)).href);
  const result = await mod.run();
  sections.push(result);
  process.stdout.write(render(result) + '\n');
}

function fmt(v, unit) {
  if (v === undefined || v === null) return '—';
  if (typeof v === 'string') return v; // "n/a (why)": a case that could not run
  return `${Number(v).toFixed(unit === 'KB' || unit === 'ms' ? 1 : 2)} ${unit}`;
}

function render({ title, note, rows }) {
  const lines = [`### ${title}`, ''];
  if (note) lines.push(note, '');
  lines.push('| measure | berth | peer | ratio (berth/peer) | goal |', '|---|---|---|---|---|');
  for (const r of rows) {
    const ratio = r.peer && typeof r.berth === 'number' ? (r.berth / r.peer).toFixed(2) + '×' : '—';
    lines.push(
      `| ${r.metric} | ${fmt(r.berth, r.unit)} | ${r.peer ? `${fmt(r.peer, r.unit)} (${r.peerName})` : '—'} | ${ratio} | ${r.goal ?? ''} |`,
    );
  }
  return lines.join('\n');
}

if (only.length === 0) {
  const date = new Date().toISOString().slice(0, 10);
  const body = [
    '# Benchmarks',
    '',
    `Measured ${date} by \`npm run bench\` on the project machine (2 cores, Node ${process.versions.node}).`,
    'Each figure is the median of several runs; peers run in the same process run, side by side.',
    '',
    ...sections.map(render),
    '',
  ].join('\n');
  writeFileSync(join(here, '..', 'docs', 'benchmarks.md'), body);
}
