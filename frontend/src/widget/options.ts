import { normalizeBaseUrl } from '../config/base-url';
import { isLang } from '../i18n/translate';
import { isScenario } from '../lib/protocol';
import type { WidgetOptions } from './types';

/**
 * The widget's settings from its script tag: `data-server`, `data-lang`, `data-scenario`,
 * `data-brand`, `data-open`. Unknown or malformed values are ignored (the defaults apply), so a
 * typo on a shop's page never breaks the page.
 */
export function readOptions(script: Pick<HTMLScriptElement, 'dataset' | 'src'> | null, pageUrl = ''): WidgetOptions {
  const data = script?.dataset ?? {};
  let scriptOrigin = '';
  try {
    scriptOrigin = script?.src ? new URL(script.src, pageUrl || undefined).origin : '';
  } catch {
    /* no usable src */
  }
  const lang = data.lang?.trim().toLowerCase();
  const scenario = data.scenario?.trim().toLowerCase();
  const brand = data.brand?.trim() ?? '';
  return {
    server: normalizeBaseUrl(data.server) || normalizeBaseUrl(scriptOrigin),
    lang: isLang(lang) ? lang : null,
    scenario: isScenario(scenario) ? scenario : null,
    brand: /^[\w.-]{1,255}$/.test(brand) ? brand : null,
    open: data.open?.trim().toLowerCase() === 'true',
  };
}
