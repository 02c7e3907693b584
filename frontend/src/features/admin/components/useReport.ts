import { useAsync } from '../../../lib/hooks/useAsync';
import { AdminError } from '../api/admin-api';

export type ReportState<T> = { status: 'loading' } | { status: 'ok'; data: T } | { status: 'error'; error: AdminError };

/** Loads a report with the token; `reload` (a counter) loads it again. Errors as AdminErrors. */
export function useReport<T>(load: (token: string, signal: AbortSignal) => Promise<T>, token: string, reload: number): ReportState<T> {
  const state = useAsync(
    (signal) =>
      load(token, signal).then(
        (data) => ({ ok: true as const, data }),
        (error: unknown) => {
          if (error instanceof DOMException && error.name === 'AbortError') throw error;
          return { ok: false as const, error: error instanceof AdminError ? error : new AdminError('unreadable', 0) };
        },
      ),
    [load, token, reload],
  );
  if (state.status === 'loading') return state;
  if (state.status === 'error') return { status: 'error', error: new AdminError('unreadable', 0) };
  return state.data.ok ? { status: 'ok', data: state.data.data } : { status: 'error', error: state.data.error };
}
