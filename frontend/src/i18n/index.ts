export { dirOf, hasCatalog, isLang, LANGS, loadCatalog, pickLang, plural, registerCatalog, translate, translator } from './translate';
export type { Dir, Lang, MessageKey, Messages, SimpleKey, Translate } from './translate';
export { I18nContext, staticI18n, useI18n } from './context';
export type { I18n, RichTranslate } from './context';
export { I18nProvider } from './I18nProvider';
export { browserLangs, storedLang, storeLang } from './lang';
