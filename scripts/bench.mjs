// `npm run bench`: runs every benchmark in scripts/bench/ one after another. Each prints its own
// measurements as ratios against a reference measured in the same run, so machines compare fairly.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(import.meta.dirname, 'bench');
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => /\.(ts|mjs)$/.test(f) && !f.startsWith('_'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

if (files.length === 0) {
  console.log('bench: no benchmarks found in scripts/bench/');
  process.exit(0);
}
const failed = [];
for (const file of files) {
  console.log(`\n== ${file}`);
  const started = Date.now();
  const run = spawnSync('npx', ['tsx', join(dir, file)], { stdio: 'inherit' });
  console.log(`== ${file}: ${run.status === 0 ? 'done' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  if (run.status !== 0) failed.push(file);
}
if (failed.length) {
  console.error(`\nbench: ${failed.length} failed: ${failed.join(', ')}`);
  process.exit(1);
}
