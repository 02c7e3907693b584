#!/usr/bin/env node
// `npm run check-budget` (after `npm run build`): fails when the app's initial JavaScript (entry
// chunk + its static imports) is over budget, when a lazy route is not in a chunk of its own, or
// when the widget's loader (dist/widget.js, what a shop's page loads before the chat is opened)
// is over its gzip budget. BUDGET_BYTES and WIDGET_BUDGET_GZIP override the limits.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { checkBudget, checkWidgetBudget } from './budget.mjs';

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

const widgetManifestPath = join(dist, 'widget', 'manifest.json');
const widgetManifest = existsSync(widgetManifestPath) ? JSON.parse(readFileSync(widgetManifestPath, 'utf8')) : null;
/** @param {string} file */
const measure = (file) => {
  const path = join(dist, file);
  if (!existsSync(path)) return null;
  const data = readFileSync(path);
  return { bytes: data.length, gzip: gzipSync(data, { level: 9 }).length };
};
const widgetLimit = process.env.WIDGET_BUDGET_GZIP ? Number(process.env.WIDGET_BUDGET_GZIP) : undefined;
const widget = checkWidgetBudget(widgetManifest, measure, { limitGzip: widgetLimit });
if (widget.loader) {
  console.log(
    `widget   ${String(widget.loader.file).padEnd(40)} ${kb(widget.loader.bytes)}, ${kb(widget.loader.gzip)} gzip (budget ${kb(widget.limitGzip)} gzip, ${((100 * widget.loader.gzip) / widget.limitGzip).toFixed(0)}% used)`,
  );
}
if (widget.panel) console.log(`widget   ${String(widget.panel.file).padEnd(40)} ${kb(widget.panel.bytes)}, ${kb(widget.panel.gzip)} gzip (loaded when opened)`);

const problems = [...result.problems, ...widget.problems];
if (problems.length > 0) {
  for (const problem of problems) console.error(`check-budget: FAIL: ${problem}`);
  process.exit(1);
}
console.log('check-budget: OK');
