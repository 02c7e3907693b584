import type { ConnectionState } from '../lib/ws';
import styles from './ConnectionBadge.module.css';

function connectionLabel(state: ConnectionState): string {
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
  const tone = state.status === 'open' ? styles.ok : state.status === 'connecting' ? styles.wait : styles.bad;
  return (
    <span className={`${styles.badge} ${tone}`} role="status" data-status={state.status} data-testid="connection-status">
      <span className={styles.dot} aria-hidden="true" />
      {connectionLabel(state)}
    </span>
  );
}
