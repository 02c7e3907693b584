/**
 * The checked settings. `__APP_ENV__` is put in by vite.config.ts after `parseEnv` (zod) has
 * validated the VITE_* variables; see env.schema.ts.
 */
import type { Env } from './env.schema';

declare const __APP_ENV__: Env;

export const env: Env = __APP_ENV__;

/** The socket URL: the configured one, or /ws on the page's own host. */
export function socketUrl(clientId: string, location: Pick<Location, 'protocol' | 'host'> = window.location): string {
  const base = env.wsUrl || `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  const separator = base.includes('?') ? '&' : '?';
  return `${base}${separator}client_id=${encodeURIComponent(clientId)}`;
}
