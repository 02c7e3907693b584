import { describe, expect, it } from 'vitest';
import { en, type MessageKey } from './en';
import { he } from './he';
import { browserLangs } from './lang';
import { FSI, PDI, pickLang, plural, translate, type Messages } from './translate';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const keys = Object.keys(en) as MessageKey[];
// Same in both languages on purpose: language names are written in their own language.
const SAME_IN_HEBREW = new Set<MessageKey>(['lang.en', 'lang.he']);

describe('message catalogs', () => {
  it('Hebrew has every English key and no other', () => {
    expect(Object.keys(he).sort()).toEqual([...keys].sort());
  });

  it('every Hebrew message has the placeholders of the English one', () => {
    const wrong = keys.filter((key) => placeholders(he[key]).join() !== placeholders(en[key]).join() && !key.endsWith('.one'));
    expect(wrong).toEqual([]);
  });

  it('every message is written out, and the Hebrew ones in Hebrew', () => {
    expect(keys.filter((key) => !en[key].trim() || !he[key].trim())).toEqual([]);
    const notHebrew = keys.filter((key) => !SAME_IN_HEBREW.has(key) && !/[\u0590-\u05FF]/.test(he[key]));
    expect(notHebrew).toEqual([]);
  });

  it('a missing Hebrew key or a wrong parameter is a type error', () => {
    // @ts-expect-error -- 'chat.title' is missing
    const incomplete: Messages = { ...he, 'chat.title': undefined };
    expect(incomplete).toBeDefined();
    // @ts-expect-error -- a key that English does not have
    const extra: Messages = { ...he, 'chat.nonsense': 'x' };
    expect(extra).toBeDefined();
    // @ts-expect-error -- {name} is required
    expect(translate('en', 'composer.label.question')).toBeDefined();
    // @ts-expect-error -- no such key
    expect(translate('en', 'chat.nope')).toBeDefined();
  });
});

describe('translate', () => {
  it('fills placeholders; isolates text values in Hebrew only', () => {
    expect(translate('en', 'composer.label.question', { name: 'Roland FP-30X' })).toBe('Your question about Roland FP-30X');
    expect(translate('he', 'composer.label.question', { name: 'Roland FP-30X' })).toBe(`השאלה שלכם על ${FSI}Roland FP-30X${PDI}`);
    expect(translate('he', 'prediction.match', { confidence: 92 })).toBe('התאמה של 92%');
    expect(translate('he', 'chat.title')).toBe('צ׳אט תמיכה');
  });

  it('picks plural forms', () => {
    expect(translate('en', plural('catalog.productCount', 1), { count: 1 })).toBe('1 product');
    expect(translate('en', plural('catalog.productCount', 3), { count: 3 })).toBe('3 products');
    expect(translate('he', plural('catalog.productCount', 1), { count: 1 })).toBe('מוצר אחד');
  });
});

describe('pickLang', () => {
  it('takes the first wanted language the server offers, else the default', () => {
    expect(pickLang(['he-IL', 'en-US'], ['en', 'he'], 'en')).toBe('he');
    expect(pickLang([null, 'iw'], ['en', 'he'], 'en')).toBe('he');
    expect(pickLang(['fr-FR', 'de'], ['en', 'he'], 'he')).toBe('he');
    expect(pickLang(['he'], ['en'], 'en')).toBe('en');
    expect(pickLang([], ['he'], 'en')).toBe('he');
  });

  it('reads navigator.languages', () => {
    expect(browserLangs({ languages: ['he-IL', 'en'], language: 'he-IL' })).toEqual(['he-IL', 'en']);
    expect(browserLangs({ languages: [], language: 'en-GB' })).toEqual(['en-GB']);
    expect(browserLangs({ languages: [], language: '' })).toEqual([]);
  });
});
