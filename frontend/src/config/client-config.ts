/**
 * `ClientConfig` (`GET /api/config`) checked with zod, field by field: a bad or missing field (or
 * no answer at all: an older server, a network problem) falls back to its default, never a
 * throw, so the chat always starts.
 */
import * as z from 'zod/mini';
import { LANGS, type Lang } from '../i18n/translate';
import { DEFAULT_CONFIG, fetchConfigJson, normalizeBaseUrl, type FetchConfigOptions, type RuntimeConfig } from './runtime';

const intInRange = (min: number, max: number, fallback: number) => z.catch(z.number().check(z.int(), z.gte(min), z.lte(max)), fallback);
const lang = z.enum(LANGS as [Lang, ...Lang[]]);

export const ClientConfigSchema = z.object({
  ws_url: z.catch(z.nullable(z.string().check(z.regex(/^wss?:\/\/\S+$/))), DEFAULT_CONFIG.wsUrl),
  // Languages this build has no catalog for are left out.
  languages: z.catch(
    z.pipe(
      z.array(z.unknown()),
      z.transform((list) => list.filter((item): item is Lang => lang.safeParse(item).success)),
    ),
    DEFAULT_CONFIG.languages,
  ),
  default_lang: z.catch(lang, DEFAULT_CONFIG.defaultLang),
  prediction_limit: intInRange(1, 50, DEFAULT_CONFIG.predictionLimit),
  typing_debounce_ms: intInRange(0, 2000, DEFAULT_CONFIG.typingDebounceMs),
});

export function parseClientConfig(raw: unknown, apiBaseUrl = ''): RuntimeConfig {
  const result = z.safeParse(ClientConfigSchema, typeof raw === 'object' && raw !== null ? raw : {});
  const data = result.success ? result.data : null;
  const languages = data && data.languages.length > 0 ? data.languages : DEFAULT_CONFIG.languages;
  const defaultLang = data && languages.includes(data.default_lang) ? data.default_lang : (languages[0] ?? 'en');
  return {
    apiBaseUrl: normalizeBaseUrl(apiBaseUrl),
    wsUrl: data?.ws_url ?? DEFAULT_CONFIG.wsUrl,
    languages,
    defaultLang,
    predictionLimit: data?.prediction_limit ?? DEFAULT_CONFIG.predictionLimit,
    typingDebounceMs: data?.typing_debounce_ms ?? DEFAULT_CONFIG.typingDebounceMs,
  };
}

/** `GET {apiBaseUrl}/api/config`, checked; the defaults when the server does not answer well. */
export async function loadConfig(apiBaseUrl = '', options: FetchConfigOptions = {}): Promise<RuntimeConfig> {
  return parseClientConfig(await fetchConfigJson(apiBaseUrl, options), apiBaseUrl);
}
