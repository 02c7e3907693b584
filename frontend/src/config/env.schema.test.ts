import { describe, expect, it } from 'vitest';
import { parseEnv } from './env.schema';

describe('parseEnv', () => {
  it('gives defaults when nothing is set', () => {
    expect(parseEnv({})).toEqual({ apiBaseUrl: '', wsUrl: '', predictionLimit: 8, typingDebounceMs: 150 });
  });
  it('reads and coerces values', () => {
    expect(parseEnv({ VITE_API_BASE_URL: 'https://api.example.test/', VITE_WS_URL: 'wss://x.test/ws', VITE_PREDICTION_LIMIT: '12', OTHER: 'x' })).toMatchObject({
      apiBaseUrl: 'https://api.example.test',
      wsUrl: 'wss://x.test/ws',
      predictionLimit: 12,
    });
  });
  it('refuses bad values, naming the variable', () => {
    expect(() => parseEnv({ VITE_WS_URL: 'http://wrong' })).toThrow(/VITE_WS_URL/);
    expect(() => parseEnv({ VITE_PREDICTION_LIMIT: '500' })).toThrow(/VITE_PREDICTION_LIMIT/);
  });
});
