/**
 * Build-time settings (VITE_* variables), checked with zod when the app starts: a wrong value
 * stops the app with a message naming the variable, instead of misbehaving later.
 */
import * as z from 'zod/mini';

const intInRange = (min: number, max: number, fallback: number) =>
  z._default(z.coerce.number().check(z.int(), z.gte(min), z.lte(max)), fallback);

const EnvSchema = z.object({
  /** Prefix of the HTTP API; empty = same origin as the page. */
  VITE_API_BASE_URL: z._default(z.string().check(z.regex(/^(https?:\/\/[^\s]+)?$/, 'must be empty or an http(s) URL')), ''),
  /** The WebSocket URL; empty = ws(s)://<this host>/ws. */
  VITE_WS_URL: z._default(z.string().check(z.regex(/^(wss?:\/\/[^\s]+)?$/, 'must be empty or a ws(s) URL')), ''),
  /** How many prediction cards to ask for. */
  VITE_PREDICTION_LIMIT: intInRange(1, 50, 8),
  /** Milliseconds of quiet before the text in the box is sent as a `typing` frame. */
  VITE_TYPING_DEBOUNCE_MS: intInRange(0, 2000, 150),
});

export interface Env {
  apiBaseUrl: string;
  wsUrl: string;
  predictionLimit: number;
  typingDebounceMs: number;
}

export function parseEnv(raw: Record<string, unknown>): Env {
  const result = z.safeParse(EnvSchema, raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid environment for the web app: ${problems}`);
  }
  const data = result.data;
  return {
    apiBaseUrl: data.VITE_API_BASE_URL.replace(/\/+$/, ''),
    wsUrl: data.VITE_WS_URL,
    predictionLimit: data.VITE_PREDICTION_LIMIT,
    typingDebounceMs: data.VITE_TYPING_DEBOUNCE_MS,
  };
}

export const env: Env = parseEnv(import.meta.env as Record<string, unknown>);

/** The socket URL: the configured one, or /ws on the page's own host. */
export function socketUrl(clientId: string, location: Pick<Location, 'protocol' | 'host'> = window.location): string {
  const base = env.wsUrl || `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  const separator = base.includes('?') ? '&' : '?';
  return `${base}${separator}client_id=${encodeURIComponent(clientId)}`;
}
