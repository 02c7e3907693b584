import { describe, expect, it } from 'vitest';
import { checkBudget, checkWidgetBudget } from './budget.mjs';

const manifest = {
  'index.html': { file: 'assets/index.js', isEntry: true, imports: ['_vendor.js'], dynamicImports: ['src/a.ts'] },
  '_vendor.js': { file: 'assets/vendor.js' },
  'src/a.ts': { file: 'assets/a.js', isDynamicEntry: true, imports: ['index.html'] },
};
const sizes = { 'assets/index.js': 50_000, 'assets/vendor.js': 120_000, 'assets/a.js': 90_000 };
const sizeOf = (file) => sizes[file];

describe('checkBudget', () => {
  it('counts the entry and its static imports, not lazy chunks', () => {
    const result = checkBudget(manifest, sizeOf, { lazyRoutes: ['src/a.ts'] });
    expect(result.initialBytes).toBe(170_000);
    expect(result.ok).toBe(true);
  });
  it('fails over the limit', () => {
    const result = checkBudget(manifest, sizeOf, { lazyRoutes: ['src/a.ts'], limitBytes: 100_000 });
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toMatch(/over the budget/);
  });
  it('fails when a lazy route is missing or bundled into the initial code', () => {
    expect(checkBudget(manifest, sizeOf, { lazyRoutes: ['src/b.ts'] }).problems[0]).toMatch(/not a chunk of its own/);
    const eager = { ...manifest, 'index.html': { ...manifest['index.html'], imports: ['_vendor.js', 'src/a.ts'] } };
    expect(checkBudget(eager, sizeOf, { lazyRoutes: ['src/a.ts'] }).problems.join('\n')).toMatch(/part of the initial JavaScript/);
  });
});

describe('checkWidgetBudget', () => {
  const files = { 'widget.js': { bytes: 25_000, gzip: 8_000 }, 'widget/panel-abc.js': { bytes: 340_000, gzip: 110_000 } };
  const measure = (file) => files[file] ?? null;
  const manifest = { loader: 'widget.js', panel: 'widget/panel-abc.js' };

  it('counts only the loader against the gzip budget', () => {
    const result = checkWidgetBudget(manifest, measure);
    expect(result.ok).toBe(true);
    expect(result.loader).toMatchObject({ file: 'widget.js', gzip: 8_000 });
    expect(result.panel).toMatchObject({ gzip: 110_000 });
  });
  it('fails over the limit', () => {
    const result = checkWidgetBudget(manifest, measure, { limitGzip: 5_000 });
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toMatch(/widget loader is 8000 bytes gzipped, over the budget of 5000/);
  });
  it('fails when the widget is not built or a file is missing', () => {
    expect(checkWidgetBudget(null, measure).problems[0]).toMatch(/manifest is missing/);
    expect(checkWidgetBudget({ loader: 'widget.js', panel: 'widget/gone.js' }, measure).problems[0]).toMatch(/panel .* is missing/);
    expect(checkWidgetBudget({ loader: 'widget.js', panel: 'widget.js' }, measure).problems.join()).toMatch(/not a file of its own/);
  });
});
