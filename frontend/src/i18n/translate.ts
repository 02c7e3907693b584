/**
 * The typed lookup: `translate('he', 'composer.label.question', { name })`. Keys come from the
 * English catalog; the `{placeholders}` of the English text decide which values a key needs (a
 * missing or unknown one is a type error). No React here: the chat model and the widget loader
 * use it too; components use `useI18n()` (context.ts).
 *
 * The catalogs are loaded per language (`loadCatalog`, a chunk each), so the strings of every
 * language and feature stay out of the app's initial JavaScript; main.tsx loads the one it
 * needs together with the config, before the first render.
 */
import type { ClientConfig } from '../lib/protocol.generated';
import type { en, MessageKey } from './en';

export type { MessageKey } from './en';

/** The languages of the contract (`lang` on `query` frames, `ClientConfig.languages`). */
export type Lang = ClientConfig['default_lang'];
export type Dir = 'ltr' | 'rtl';

/** A catalog: every key of the English one, nothing else. */
export type Messages = { readonly [K in MessageKey]: string };

/** The `{name}`s of a template literal type. */
export type ParamsOf<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | ParamsOf<Rest> : never;
export type ParamNames<K extends MessageKey> = ParamsOf<(typeof en)[K]>;
export type ParamValues<K extends MessageKey, V = string | number> = { [P in ParamNames<K>]: V };
export type TranslateArgs<K extends MessageKey> = [ParamNames<K>] extends [never] ? [] : [ParamValues<K>];
export type Translate = <K extends MessageKey>(key: K, ...args: TranslateArgs<K>) => string;
/** A key whose message has no placeholders: `t(key)` with a key from a table (`Record<X, SimpleKey>`). */
export type SimpleKey = { [K in MessageKey]: [ParamNames<K>] extends [never] ? K : never }[MessageKey];

const CATALOGS: Partial<Record<Lang, Messages>> = {};
const LOADERS: Record<Lang, () => Promise<Messages>> = {
  en: () => import('./en').then((m) => m.en),
  he: () => import('./he').then((m) => m.he),
};

/** Makes a catalog available at once (tests, the widget loader that bundles its own). */
export function registerCatalog(lang: Lang, messages: Messages): void {
  CATALOGS[lang] = messages;
}

export const hasCatalog = (lang: Lang): boolean => CATALOGS[lang] !== undefined;

/** Loads a language's catalog (once); after it resolves, `translate(lang, ...)` has its words. */
export async function loadCatalog(lang: Lang): Promise<void> {
  if (!CATALOGS[lang]) CATALOGS[lang] = await LOADERS[lang]();
}

/** A message's template: the language's, else English, else (no catalog loaded) the key. */
export const template = (lang: Lang, key: MessageKey): string => CATALOGS[lang]?.[key] ?? CATALOGS.en?.[key] ?? key;

const LANG_SET: Record<Lang, Dir> = { en: 'ltr', he: 'rtl' };
export const LANGS = Object.keys(LANG_SET) as Lang[];

export const isLang = (value: unknown): value is Lang => typeof value === 'string' && Object.hasOwn(LANG_SET, value);
export const dirOf = (lang: Lang): Dir => LANG_SET[lang];

// First-strong isolate ... pop directional isolate: a value keeps its own direction inside the
// text around it ("Roland FP-30X" stays left-to-right in a Hebrew sentence).
export const FSI = '\u2068';
export const PDI = '\u2069';
const PLACEHOLDER = /\{(\w+)\}/g;

/**
 * A template with its placeholders filled: the text parts as strings, each value as `wrap`
 * makes it (a placeholder with no value stays as written).
 */
export function fillTemplate<V, W>(template: string, params: Readonly<Record<string, V>>, wrap: (value: V, name: string) => W): Array<string | W> {
  const out: Array<string | W> = [];
  let cursor = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const index = match.index ?? 0;
    if (index > cursor) out.push(template.slice(cursor, index));
    const name = match[1] ?? '';
    out.push(Object.hasOwn(params, name) ? wrap(params[name] as V, name) : match[0]);
    cursor = index + match[0].length;
  }
  if (cursor < template.length) out.push(template.slice(cursor));
  return out;
}

export function translate<K extends MessageKey>(lang: Lang, key: K, ...args: TranslateArgs<K>): string {
  const params = (args[0] ?? {}) as Readonly<Record<string, string | number>>;
  // In right-to-left text each text value is isolated (numbers are fine as they are, and "92%"
  // must stay one number); English text is left as it is.
  const isolate = dirOf(lang) === 'rtl';
  return fillTemplate(template(lang, key), params, (value) => (isolate && typeof value === 'string' ? `${FSI}${value}${PDI}` : String(value))).join('');
}

/** `translator('he')` is a `Translate` bound to one language. */
export const translator =
  (lang: Lang): Translate =>
  (key, ...args) =>
    translate(lang, key, ...args);

/** The key of a plural pair for `count` (English and Hebrew both only need one / other here). */
export const plural = <P extends string>(prefix: P, count: number): `${P}.one` | `${P}.other` =>
  count === 1 ? `${prefix}.one` : `${prefix}.other`;

/**
 * The language to use: the first of `wanted` (a data-lang attribute, a stored choice, then
 * `navigator.languages` such as `he-IL`) that the server offers, else the server's default.
 */
export function pickLang(wanted: ReadonlyArray<string | null | undefined>, offered: readonly Lang[], fallback: Lang): Lang {
  for (const candidate of wanted) {
    if (!candidate) continue;
    const base = candidate.trim().toLowerCase().split(/[-_]/)[0];
    // `iw` is the old code for Hebrew that some systems still report.
    const code = base === 'iw' ? 'he' : base;
    if (isLang(code) && offered.includes(code)) return code;
  }
  return offered.includes(fallback) ? fallback : (offered[0] ?? 'en');
}

