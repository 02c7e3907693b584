import { useMemo, useState, type ReactNode } from 'react';
import { I18nContext, richTranslator } from './context';
import { storeLang } from './lang';
import { dirOf, loadCatalog, translator, type Lang } from './translate';

interface Props {
  /** The language to start in (see `pickLang`). */
  initialLang: Lang;
  /** The languages offered (from the server's config). */
  languages: readonly Lang[];
  /** Remember a choice made with `setLang` (the app's switch), in localStorage. */
  persist?: boolean;
  children: ReactNode;
}

/** Provides the language and the lookups to everything below (`useI18n`). */
export function I18nProvider({ initialLang, languages, persist = false, children }: Props) {
  const [lang, setLang] = useState<Lang>(initialLang);
  const value = useMemo(
    () => ({
      lang,
      dir: dirOf(lang),
      languages,
      t: translator(lang),
      rich: richTranslator(lang),
      setLang: (next: Lang) => {
        if (persist) storeLang(next);
        // Switch once the language's words are here (a chunk of their own, see loadCatalog).
        loadCatalog(next).then(
          () => setLang(next),
          () => setLang(next),
        );
      },
    }),
    [lang, languages, persist],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}
