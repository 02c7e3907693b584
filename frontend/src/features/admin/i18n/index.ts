/**
 * The admin page's lookup: `const { t } = useAdminI18n(); t('admin.tab.tickets')`, in the app's
 * current language (useI18n), from the admin catalog (en.ts, he.ts here). Values are isolated in
 * right-to-left text as translate() does for the app's catalog.
 */
import { useMemo } from 'react';
import { dirOf, useI18n, type Dir, type Lang } from '../../../i18n';
import { FSI, PDI, fillTemplate, type ParamsOf } from '../../../i18n/translate';
import { adminEn, type AdminKey } from './en';
import { adminHe } from './he';

export type { AdminKey } from './en';
export type AdminMessages = { readonly [K in AdminKey]: string };
type Params<K extends AdminKey> = ParamsOf<(typeof adminEn)[K]>;
type Args<K extends AdminKey> = [Params<K>] extends [never] ? [] : [{ [P in Params<K>]: string | number }];
export type AdminTranslate = <K extends AdminKey>(key: K, ...args: Args<K>) => string;

export const ADMIN_CATALOGS: Readonly<Record<Lang, AdminMessages>> = { en: adminEn, he: adminHe };

export function adminTranslator(lang: Lang): AdminTranslate {
  const isolate = dirOf(lang) === 'rtl';
  return (key, ...args) => {
    const template: string = ADMIN_CATALOGS[lang][key] ?? adminEn[key] ?? key;
    const params = (args[0] ?? {}) as Readonly<Record<string, string | number>>;
    return fillTemplate(template, params, (value) => (isolate && typeof value === 'string' ? `${FSI}${value}${PDI}` : String(value))).join('');
  };
}

/** The app's language and direction, with `t` for the admin catalog. */
export function useAdminI18n(): { lang: Lang; dir: Dir; t: AdminTranslate } {
  const { lang, dir } = useI18n();
  const t = useMemo(() => adminTranslator(lang), [lang]);
  return { lang, dir, t };
}
