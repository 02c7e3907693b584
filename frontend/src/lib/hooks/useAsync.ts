import { useEffect, useState, type DependencyList } from 'react';

export type AsyncState<T> =
  | { status: 'loading' }
  | { status: 'ok'; data: T }
  /** `message` is English (for logs); show `errorText(error, t)` (lib/api/client) to people. */
  | { status: 'error'; message: string; error: unknown };

const LOADING = { status: 'loading' } as const;

const sameDeps = (a: DependencyList, b: DependencyList) => a.length === b.length && a.every((value, i) => Object.is(value, b[i]));

/** Runs `load` when `deps` change; aborts the previous run. */
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): AsyncState<T> {
  // A settled result is kept with the deps it was loaded for: when they change it is stale, and the
  // state is 'loading' again at once (no setState in the effect, no render of stale data).
  const [settled, setSettled] = useState<{ deps: DependencyList; state: AsyncState<T> } | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    load(abort.signal).then(
      (data) => {
        if (!abort.signal.aborted) setSettled({ deps, state: { status: 'ok', data } });
      },
      (error: unknown) => {
        if (abort.signal.aborted) return;
        setSettled({ deps, state: { status: 'error', message: error instanceof Error ? error.message : 'Something went wrong.', error } });
      },
    );
    return () => abort.abort();
    // `deps` is the caller's dependency list (the hook is a useEffect with a loader).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return settled && sameDeps(settled.deps, deps) ? settled.state : LOADING;
}
