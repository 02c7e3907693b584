import { useState, type ReactNode } from 'react';
import { Spinner } from '../../../components/Spinner';
import ui from '../../../components/ui.module.css';
import { useAdminI18n } from '../i18n';
import { AdminError, downloadCsv, type Report, type ReportFilter } from '../api/admin-api';
import { adminErrorText } from './admin-error-text';
import styles from './AdminPage.module.css';
import type { ReportState } from './useReport';

function DownloadButton({ report, token, label, filter }: { report: Report; token: string; label: string; filter?: ReportFilter }) {
  const { t } = useAdminI18n();
  const [state, setState] = useState<{ status: 'idle' | 'busy' } | { status: 'done'; file: string } | { status: 'error'; error: AdminError }>({ status: 'idle' });
  const download = () => {
    if (state.status === 'busy') return;
    setState({ status: 'busy' });
    downloadCsv(report, token, filter).then(
      (file) => setState({ status: 'done', file }),
      (error: unknown) => setState({ status: 'error', error: error instanceof AdminError ? error : new AdminError('unreadable', 0) }),
    );
  };
  return (
    <>
      <button type="button" className={`${ui.btn} ${ui.btnSmall}`} onClick={download} aria-disabled={state.status === 'busy'}>
        {state.status === 'busy' ? t('admin.downloading') : label}
      </button>
      <span className={`${ui.muted} ${ui.small}`} role="status">
        {state.status === 'done' ? t('admin.downloaded', { file: state.file }) : ''}
      </span>
      {state.status === 'error' ? (
        <span className={`${ui.error} ${styles.inlineError}`} role="alert">
          {adminErrorText(t, state.error, true)}
        </span>
      ) : null}
    </>
  );
}

interface Props<T> {
  report: Report;
  token: string;
  intro: string;
  state: ReportState<T>;
  isEmpty: (data: T) => boolean;
  empty: string;
  onRefresh: () => void;
  /** Query parameters of the CSV download besides the format (`rating=down`). */
  filter?: ReportFilter;
  children: (data: T) => ReactNode;
}

/** One report: what it is, Refresh and Download CSV, then its table (or loading, error, empty). */
export function ReportFrame<T>({ report, token, intro, state, isEmpty, empty, onRefresh, filter, children }: Props<T>) {
  const { t } = useAdminI18n();
  return (
    <>
      <p className={ui.muted}>{intro}</p>
      <div className={styles.toolbar}>
        <button type="button" className={`${ui.btn} ${ui.btnSmall}`} onClick={onRefresh}>
          {t('admin.refresh')}
        </button>
        <DownloadButton report={report} token={token} label={t('admin.download')} filter={filter} />
      </div>
      {state.status === 'loading' ? (
        <p className={ui.muted} role="status">
          <Spinner /> {t('admin.loading')}
        </p>
      ) : state.status === 'error' ? (
        <p className={ui.error} role="alert">
          {adminErrorText(t, state.error, true)}
        </p>
      ) : isEmpty(state.data) ? (
        <p className={ui.muted}>{empty}</p>
      ) : (
        <div className={styles.tableWrap}>{children(state.data)}</div>
      )}
    </>
  );
}
