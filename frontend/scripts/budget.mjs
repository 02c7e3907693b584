// The bundle budget, as a pure function over Vite's build manifest (dist/.vite/manifest.json).

/** Source modules that must be lazy-loaded routes, each in a chunk of its own. */
export const LAZY_ROUTES = ['src/features/catalog/index.ts', 'src/features/products/index.ts'];

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
