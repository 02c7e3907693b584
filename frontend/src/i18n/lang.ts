/** Where the language comes from in the browser: a remembered choice, then the browser's list. */
import { isLang, type Lang } from './translate';

const STORAGE_KEY = 'hsc-lang';

export function storedLang(): Lang | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLang(value) ? value : null;
  } catch {
    return null; // storage blocked (privacy mode, sandboxed frame)
  }
}

export function storeLang(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* not remembered, still switched */
  }
}

/** The browser's preferred languages, best first (`navigator.languages`, e.g. ["he-IL", "en"]). */
export function browserLangs(nav: Pick<Navigator, 'languages' | 'language'> | undefined = globalThis.navigator): string[] {
  if (!nav) return [];
  return nav.languages?.length ? [...nav.languages] : nav.language ? [nav.language] : [];
}
