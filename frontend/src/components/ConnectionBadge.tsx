import { useI18n, type Translate } from '../i18n';
import type { ConnectionState } from '../lib/ws';
import styles from './ConnectionBadge.module.css';

function connectionLabel(state: ConnectionState, t: Translate): string {
  switch (state.status) {
    case 'open':
      return t('connection.open');
    case 'connecting':
      return state.attempt > 0 ? t('connection.reconnecting') : t('connection.connecting');
    case 'reconnecting': {
      const seconds = state.retryInMs !== null ? Math.max(1, Math.round(state.retryInMs / 1000)) : null;
      return seconds !== null ? t('connection.retryIn', { seconds }) : t('connection.retrying');
    }
    default:
      return t('connection.offline');
  }
}

/** The state of the live connection, announced politely when it changes. */
export function ConnectionBadge({ state }: { state: ConnectionState }) {
  const { t } = useI18n();
  const tone = state.status === 'open' ? styles.ok : state.status === 'connecting' ? styles.wait : styles.bad;
  return (
    <span className={`${styles.badge} ${tone}`} role="status" data-status={state.status} data-testid="connection-status">
      <span className={styles.dot} aria-hidden="true" />
      {connectionLabel(state, t)}
    </span>
  );
}
