#!/usr/bin/env node
// `npm run check-budget` (after `vite build`): fails when the initial JavaScript (entry chunk +
// its static imports) is over budget, or when a lazy route is not in a chunk of its own.
// BUDGET_BYTES overrides the limit.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkBudget } from './budget.mjs';

const dist = join(import.meta.dirname, '..', 'dist');
const manifestPath = join(dist, '.vite', 'manifest.json');
if (!existsSync(manifestPath)) {
  console.error(`check-budget: ${manifestPath} not found; run \`npm run build\` first.`);
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const limitBytes = process.env.BUDGET_BYTES ? Number(process.env.BUDGET_BYTES) : undefined;
const result = checkBudget(manifest, (file) => statSync(join(dist, file)).size, { limitBytes });

/** @param {number} bytes */
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;
for (const f of result.files) console.log(`initial  ${f.file.padEnd(40)} ${kb(f.bytes)}`);
console.log(`initial JavaScript total: ${kb(result.initialBytes)} (budget ${kb(result.limitBytes)}, ${((100 * result.initialBytes) / result.limitBytes).toFixed(0)}% used)`);
for (const l of result.lazy) console.log(`lazy     ${l.file.padEnd(40)} ${kb(l.bytes)}  <- ${l.route}`);
if (!result.ok) {
  for (const problem of result.problems) console.error(`check-budget: FAIL: ${problem}`);
  process.exit(1);
}
console.log('check-budget: OK');
