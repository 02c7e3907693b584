/**
 * The client's settings, read at run time from the server (`GET /api/config`, the contract's
 * `ClientConfig`), so one build serves every deployment: the app asks its own origin, the
 * widget the origin of its `data-server`. This module has the shape, the defaults and the
 * request; the zod check is client-config.ts (a chunk of its own in the app, loaded in parallel
 * with the request, so no validator sits in the initial JavaScript).
 */
import { LANGS, type Lang } from '../i18n/translate';
import { normalizeBaseUrl } from './base-url';

export { normalizeBaseUrl };

export interface RuntimeConfig {
  /** Where the HTTP API is: '' for the page's own origin, else `https://host[:port]`. */
  apiBaseUrl: string;
  /** The socket URL from the server; null: `/ws` on the API's host. */
  wsUrl: string | null;
  languages: Lang[];
  defaultLang: Lang;
  /** How many prediction cards to ask for. */
  predictionLimit: number;
  /** Milliseconds of quiet before the text in the box is sent as a `typing` frame. */
  typingDebounceMs: number;
}

export const DEFAULT_CONFIG: Omit<RuntimeConfig, 'apiBaseUrl'> = {
  wsUrl: null,
  languages: [...LANGS],
  defaultLang: 'en',
  predictionLimit: 8,
  typingDebounceMs: 150,
};

export interface FetchConfigOptions {
  fetch?: typeof fetch;
  /** Give up waiting after this long (the defaults apply). */
  timeoutMs?: number;
}

/** `GET {base}/api/config` as JSON, or null when the server does not answer (in time, or well). */
export async function fetchConfigJson(apiBaseUrl = '', options: FetchConfigOptions = {}): Promise<unknown> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), options.timeoutMs ?? 4000);
  try {
    const response = await doFetch(`${normalizeBaseUrl(apiBaseUrl)}/api/config`, { signal: abort.signal, headers: { Accept: 'application/json' } });
    return response.ok ? ((await response.json()) as unknown) : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The socket URL: the server's `ws_url`, else `/ws` on the API's host (the widget's
 * `data-server`), else on the page's own host; with the `client_id` query parameter.
 */
export function socketUrl(
  config: Pick<RuntimeConfig, 'apiBaseUrl' | 'wsUrl'>,
  clientId: string,
  location: Pick<Location, 'protocol' | 'host'> = window.location,
): string {
  const fromApi = config.apiBaseUrl ? `${config.apiBaseUrl.replace(/^http/i, 'ws')}/ws` : '';
  const base = config.wsUrl || fromApi || `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  const separator = base.includes('?') ? '&' : '?';
  return `${base}${separator}client_id=${encodeURIComponent(clientId)}`;
}
