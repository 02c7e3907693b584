import type { ConnectionState } from '../lib/ws';

export function connectionLabel(state: ConnectionState): string {
  switch (state.status) {
    case 'open':
      return 'Connected';
    case 'connecting':
      return state.attempt > 0 ? 'Reconnecting…' : 'Connecting…';
    case 'reconnecting': {
      const seconds = state.retryInMs !== null ? Math.max(1, Math.round(state.retryInMs / 1000)) : null;
      return seconds !== null ? `Offline – retrying in ${seconds}s` : 'Offline – retrying';
    }
    default:
      return 'Offline';
  }
}

/** The state of the live connection, announced politely when it changes. */
export function ConnectionBadge({ state }: { state: ConnectionState }) {
  const tone = state.status === 'open' ? 'ok' : state.status === 'connecting' ? 'wait' : 'bad';
  return (
    <span className={`conn conn-${tone}`} role="status" data-status={state.status}>
      <span className="conn-dot" aria-hidden="true" />
      {connectionLabel(state)}
    </span>
  );
}
