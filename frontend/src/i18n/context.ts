import { createContext, createElement, Fragment, isValidElement, useContext, type ReactNode } from 'react';
import { dirOf, fillTemplate, template, translator, type Dir, type Lang, type MessageKey, type ParamValues, type Translate } from './translate';

/** A message with React nodes put in (a link, a name); text values are wrapped in <bdi>. */
export type RichTranslate = <K extends MessageKey>(key: K, params: ParamValues<K, ReactNode>) => ReactNode;

export interface I18n {
  lang: Lang;
  dir: Dir;
  /** The languages the server offers (the header's switch lists them). */
  languages: readonly Lang[];
  t: Translate;
  rich: RichTranslate;
  setLang: (lang: Lang) => void;
}

export function richTranslator(lang: Lang): RichTranslate {
  return (key, params) => {
    const parts = fillTemplate(template(lang, key), params as Readonly<Record<string, ReactNode>>, (value, name) =>
      isValidElement(value) ? createElement(Fragment, { key: name }, value) : createElement('bdi', { key: name }, value),
    );
    return createElement(Fragment, null, ...parts);
  };
}

/** The i18n of a language with no way to change it (tests, the widget before its provider). */
export function staticI18n(lang: Lang, languages: readonly Lang[] = [lang]): I18n {
  return { lang, dir: dirOf(lang), languages, t: translator(lang), rich: richTranslator(lang), setLang: () => {} };
}

// Without a provider (a component rendered alone in a test): English.
export const I18nContext = createContext<I18n>(staticI18n('en', ['en', 'he']));

/** The current language, its direction and the lookups: `const { t } = useI18n(); t('chat.title')`. */
export const useI18n = (): I18n => useContext(I18nContext);
