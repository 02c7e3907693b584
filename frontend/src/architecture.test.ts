// Feature folders stay independent (STYLE.md pattern 12): a feature imports from lib/,
// components/, config/, i18n/ and itself, never from another feature; only app/ and widget/
// compose features.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

const featureOf = (path: string): string | null => {
  const parts = relative(SRC, path).split(sep);
  return parts[0] === 'features' ? (parts[1] ?? null) : null;
};

describe('architecture', () => {
  it('features do not import each other; shared code does not import features', () => {
    const problems: string[] = [];
    for (const file of files(SRC)) {
      if (file.endsWith('.test.ts') || file.endsWith('.test.tsx')) continue;
      const source = readFileSync(file, 'utf8');
      const own = featureOf(file);
      const top = relative(SRC, file).split(sep)[0];
      for (const match of source.matchAll(/(?:from\s+|import\()\s*['"](\.[^'"]+)['"]/g)) {
        const target = resolve(dirname(file), match[1]!);
        const targetFeature = featureOf(target);
        if (targetFeature === null) continue;
        // The shells compose features: the app, and the widget (src/widget/) on a shop's page.
        if (top === 'app' || top === 'widget' || top === 'main.tsx' || top === 'test') continue;
        if (own !== targetFeature) problems.push(`${relative(SRC, file)} imports ${match[1]}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
