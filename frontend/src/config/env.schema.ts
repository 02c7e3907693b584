/**
 * The web app's settings (VITE_* variables) and their zod schema. Vite inlines env values at
 * build time, so they are validated when the build (or the dev server, or Vitest) starts, in
 * vite.config.ts: a wrong value stops the build with a message naming the variable, and the
 * shipped bundle carries only the checked result (no validator in the initial JavaScript).
 */
import * as z from 'zod/mini';

const intInRange = (min: number, max: number, fallback: number) =>
  z._default(z.coerce.number().check(z.int(), z.gte(min), z.lte(max)), fallback);

export const EnvSchema = z.object({
  /** Prefix of the HTTP API; empty = same origin as the page. */
  VITE_API_BASE_URL: z._default(z.string().check(z.regex(/^(https?:\/\/\S+)?$/, 'must be empty or an http(s) URL')), ''),
  /** The WebSocket URL; empty = ws(s)://<this host>/ws. */
  VITE_WS_URL: z._default(z.string().check(z.regex(/^(wss?:\/\/\S+)?$/, 'must be empty or a ws(s) URL')), ''),
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

/** Checks raw variables (unknown VITE_* keys are ignored); throws naming every bad one. */
export function parseEnv(raw: Record<string, unknown>): Env {
  const relevant = Object.fromEntries(Object.entries(raw).filter(([key, value]) => key in EnvSchema.shape && value !== ''));
  const result = z.safeParse(EnvSchema, relevant);
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
