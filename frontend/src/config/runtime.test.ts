import { describe, expect, it, vi } from 'vitest';
import { loadConfig, parseClientConfig } from './client-config';
import { DEFAULT_CONFIG, normalizeBaseUrl, socketUrl } from './runtime';

const SERVER = { ws_url: null, languages: ['en', 'he'], default_lang: 'he', prediction_limit: 12, typing_debounce_ms: 100 };

describe('parseClientConfig', () => {
  it('reads the server config', () => {
    expect(parseClientConfig(SERVER, 'https://support.test/')).toEqual({
      apiBaseUrl: 'https://support.test',
      wsUrl: null,
      languages: ['en', 'he'],
      defaultLang: 'he',
      predictionLimit: 12,
      typingDebounceMs: 100,
    });
  });

  it('gives defaults for nothing, and field by field for bad values', () => {
    expect(parseClientConfig(null)).toEqual({ ...DEFAULT_CONFIG, apiBaseUrl: '' });
    const config = parseClientConfig({ ...SERVER, ws_url: 'http://wrong', prediction_limit: 500, languages: ['fr', 'he'], default_lang: 'en' });
    expect(config).toMatchObject({ wsUrl: null, predictionLimit: DEFAULT_CONFIG.predictionLimit, languages: ['he'], defaultLang: 'he', typingDebounceMs: 100 });
    expect(parseClientConfig({ languages: 'en' }).languages).toEqual(DEFAULT_CONFIG.languages);
  });
});

describe('loadConfig', () => {
  it('asks {base}/api/config', async () => {
    const fetch = vi.fn(() => Promise.resolve(new Response(JSON.stringify({ ...SERVER, ws_url: 'wss://ws.test/ws' }))));
    const config = await loadConfig('https://support.test', { fetch });
    expect(fetch).toHaveBeenCalledWith('https://support.test/api/config', expect.anything());
    expect(config.wsUrl).toBe('wss://ws.test/ws');
  });

  it('starts with the defaults when the server fails, answers badly, or not at all', async () => {
    const failing = vi.fn(() => Promise.reject(new TypeError('network')));
    expect(await loadConfig('', { fetch: failing })).toEqual({ ...DEFAULT_CONFIG, apiBaseUrl: '' });
    const notFound = vi.fn(() => Promise.resolve(new Response('{"error":{}}', { status: 404 })));
    expect((await loadConfig('', { fetch: notFound })).predictionLimit).toBe(DEFAULT_CONFIG.predictionLimit);
    const hanging = vi.fn(
      (_url: RequestInfo | URL, init?: RequestInit) =>
        new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))),
    );
    expect((await loadConfig('', { fetch: hanging, timeoutMs: 10 })).languages).toEqual(DEFAULT_CONFIG.languages);
  });
});

describe('socketUrl', () => {
  const page = { protocol: 'https:', host: 'shop.test' };
  it('prefers the server ws_url, then the API host, then the page host', () => {
    expect(socketUrl({ apiBaseUrl: 'https://support.test', wsUrl: 'wss://ws.test/ws' }, 'a b', page)).toBe('wss://ws.test/ws?client_id=a%20b');
    expect(socketUrl({ apiBaseUrl: 'https://support.test', wsUrl: null }, 'c', page)).toBe('wss://support.test/ws?client_id=c');
    expect(socketUrl({ apiBaseUrl: 'http://127.0.0.1:8000', wsUrl: null }, 'c', page)).toBe('ws://127.0.0.1:8000/ws?client_id=c');
    expect(socketUrl({ apiBaseUrl: '', wsUrl: null }, 'c', page)).toBe('wss://shop.test/ws?client_id=c');
  });
  it('normalises base URLs', () => {
    expect(normalizeBaseUrl('https://support.test///')).toBe('https://support.test');
    expect(normalizeBaseUrl('javascript:alert(1)')).toBe('');
    expect(normalizeBaseUrl(undefined)).toBe('');
  });
});
