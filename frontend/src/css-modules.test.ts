// CSS modules fail quietly: `styles.typo` is just `undefined` (and Vitest does not process CSS).
// So check statically that every class a component uses exists in the module it imports, and
// that every class a module defines is used by some component.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname);

function files(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, pattern) : pattern.test(name) ? [path] : [];
  });
}

/** The class names a module defines (selectors only; comments and declarations left out). */
function definedClasses(css: string): Set<string> {
  const selectors = css.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\{[^{}]*\}/g, '{}');
  return new Set([...selectors.matchAll(/\.([A-Za-z_][\w-]*)/g)].map((m) => m[1]!));
}

const modules = files(SRC, /\.module\.css$/);
const sources = files(SRC, /\.tsx?$/).filter((f) => !/\.test\.tsx?$/.test(f));

describe('CSS modules', () => {
  const used = new Map(modules.map((m) => [m, new Set<string>()]));
  const problems: string[] = [];
  for (const file of sources) {
    const source = readFileSync(file, 'utf8');
    for (const [, name, spec] of source.matchAll(/import\s+(\w+)\s+from\s+'(\.[^']+\.module\.css)'/g)) {
      const module = resolve(dirname(file), spec!);
      const defined = definedClasses(readFileSync(module, 'utf8'));
      for (const [, cls] of source.matchAll(new RegExp(`(?<![\\w./])${name}\\.(\\w+)`, 'g'))) {
        if (!defined.has(cls!)) problems.push(`${relative(SRC, file)}: ${name}.${cls} is not in ${spec}`);
        used.get(module)?.add(cls!);
      }
      // Dynamic lookups (`styles[size]`) use the names as string literals.
      if (new RegExp(`\\b${name}\\[`).test(source)) {
        for (const [, literal] of source.matchAll(/'(\w+)'/g)) if (defined.has(literal!)) used.get(module)?.add(literal!);
      }
    }
  }

  it('every class a component uses is defined', () => {
    expect(problems).toEqual([]);
  });

  it('every class a module defines is used', () => {
    const unused = modules.flatMap((m) =>
      [...definedClasses(readFileSync(m, 'utf8'))].filter((c) => !used.get(m)?.has(c)).map((c) => `${relative(SRC, m)}: .${c}`),
    );
    expect(unused).toEqual([]);
  });
});
