// The bundle budget, as a pure function over Vite's build manifest (dist/.vite/manifest.json).

/** Source modules that must be lazy-loaded routes, each in a chunk of its own. */
// The chat's conversation view is not a route, but loads the same way: after the first render
// (ChatView.tsx), so the chat page shows without it.
export const LAZY_ROUTES = [
  'src/features/catalog/index.ts',
  'src/features/products/index.ts',
  'src/features/admin/index.ts',
  'src/features/chat/components/MessageList.tsx',
];

/** 200 KB, KB = 1000 bytes (the stricter reading), of uncompressed JavaScript. */
export const DEFAULT_LIMIT_BYTES = 200_000;

/**
 * @param {Record<string, {file: string, isEntry?: boolean, isDynamicEntry?: boolean, imports?: string[], dynamicImports?: string[]}>} manifest
 * @param {(file: string) => number} sizeOf bytes of an emitted file
 * @param {{limitBytes?: number, lazyRoutes?: string[]}} [options]
 */
export function checkBudget(manifest, sizeOf, options = {}) {
  const limitBytes = options.limitBytes ?? DEFAULT_LIMIT_BYTES;
  const lazyRoutes = options.lazyRoutes ?? LAZY_ROUTES;
  const problems = [];
  const entries = Object.entries(manifest).filter(([, chunk]) => chunk.isEntry);
  if (entries.length === 0) problems.push('the manifest has no entry chunk');

  // The entry chunks and everything they import statically: what the first page load runs.
  const initial = new Set();
  /** @param {string} key */
  const visit = (key) => {
    if (initial.has(key)) return;
    const chunk = manifest[key];
    if (!chunk) return;
    initial.add(key);
    for (const next of chunk.imports ?? []) visit(next);
  };
  for (const [key] of entries) visit(key);
  const initialFiles = [...initial].map((key) => manifest[key].file).filter((file) => file.endsWith('.js'));
  const files = initialFiles.map((file) => ({ file, bytes: sizeOf(file) }));
  const initialBytes = files.reduce((sum, f) => sum + f.bytes, 0);
  if (initialBytes > limitBytes) {
    problems.push(`initial JavaScript is ${initialBytes} bytes, over the budget of ${limitBytes} bytes`);
  }

  const initialFileSet = new Set(initialFiles);
  const lazy = [];
  for (const route of lazyRoutes) {
    const chunk = manifest[route];
    if (!chunk) {
      problems.push(`lazy route ${route} is not a chunk of its own (not in the manifest)`);
      continue;
    }
    if (!chunk.isDynamicEntry) problems.push(`lazy route ${route} is not loaded with import()`);
    if (initial.has(route) || initialFileSet.has(chunk.file)) problems.push(`lazy route ${route} is part of the initial JavaScript`);
    lazy.push({ route, file: chunk.file, bytes: sizeOf(chunk.file) });
  }
  return { ok: problems.length === 0, problems, initialBytes, limitBytes, files, lazy };
}

/** 60 KB (1000 bytes each) gzip: what a shop's page loads before anyone opens the chat. */
export const DEFAULT_WIDGET_LIMIT_GZIP = 60_000;

/**
 * The widget's budget, over `dist/widget/manifest.json` (`{loader, panel}`, written by
 * vite.widget.config.ts): the loader (`widget.js`, all a page loads until the panel is opened)
 * must be at most `limitGzip` gzipped, and the panel must be a file of its own (loaded on open).
 *
 * @param {{loader?: string, panel?: string} | null} manifest
 * @param {(file: string) => {bytes: number, gzip: number} | null} measure sizes of a file, null if it is missing
 * @param {{limitGzip?: number}} [options]
 */
export function checkWidgetBudget(manifest, measure, options = {}) {
  const limitGzip = options.limitGzip ?? DEFAULT_WIDGET_LIMIT_GZIP;
  const problems = [];
  const loader = manifest?.loader ? measure(manifest.loader) : null;
  const panel = manifest?.panel ? measure(manifest.panel) : null;
  if (!manifest) problems.push('the widget manifest is missing (dist/widget/manifest.json): is the widget built?');
  else {
    if (!loader) problems.push(`the widget loader ${manifest.loader ?? '(none named)'} is missing`);
    if (!panel) problems.push(`the widget panel ${manifest.panel ?? '(none named)'} is missing`);
    if (manifest.loader && manifest.loader === manifest.panel) problems.push('the widget panel is not a file of its own');
  }
  if (loader && loader.gzip > limitGzip) {
    problems.push(`the widget loader is ${loader.gzip} bytes gzipped, over the budget of ${limitGzip} bytes`);
  }
  return { ok: problems.length === 0, problems, limitGzip, loader: loader && { file: manifest?.loader, ...loader }, panel: panel && { file: manifest?.panel, ...panel } };
}
