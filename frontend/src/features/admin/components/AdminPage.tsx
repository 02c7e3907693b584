import { useId, useRef, useState, type ComponentType, type FormEvent, type KeyboardEvent } from 'react';
import { PageTitle } from '../../../components/PageTitle';
import ui from '../../../components/ui.module.css';
import { useAdminI18n } from '../i18n';
import { AdminError, checkToken, type Report } from '../api/admin-api';
import { clearToken, loadToken, saveToken } from '../model/token';
import { adminErrorText } from './admin-error-text';
import styles from './AdminPage.module.css';
import { FeedbackReport, SearchesReport, TicketsReport, UnansweredReport } from './Reports';

const REPORTS: readonly Report[] = ['unanswered', 'feedback', 'searches', 'tickets'];
const VIEWS: Record<Report, ComponentType<{ token: string }>> = {
  unanswered: UnansweredReport,
  feedback: FeedbackReport,
  searches: SearchesReport,
  tickets: TicketsReport,
};

/** Asks for the token and checks it with the server before keeping it (sessionStorage only). */
function TokenForm({ onSignedIn }: { onSignedIn: (token: string) => void }) {
  const { t } = useAdminI18n();
  const [token, setToken] = useState('');
  const [state, setState] = useState<{ status: 'idle' | 'checking' } | { status: 'error'; message: string }>({ status: 'idle' });
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = token.trim();
    if (state.status === 'checking') return;
    if (!value) {
      setState({ status: 'error', message: t('admin.token.required') });
      inputRef.current?.focus();
      return;
    }
    setState({ status: 'checking' });
    checkToken(value).then(
      () => {
        saveToken(value);
        onSignedIn(value);
      },
      (error: unknown) => {
        const message = adminErrorText(t, error instanceof AdminError ? error : new AdminError('unreadable', 0), false);
        setState({ status: 'error', message });
        inputRef.current?.focus();
      },
    );
  };

  const error = state.status === 'error' ? state.message : null;
  return (
    <form className={styles.tokenForm} onSubmit={submit} noValidate>
      <label className={ui.fieldLabel} htmlFor={id}>
        {t('admin.token.label')}
      </label>
      <input
        ref={inputRef}
        id={id}
        className={ui.textInput}
        type="password"
        autoComplete="off"
        spellCheck={false}
        dir="ltr"
        value={token}
        aria-invalid={error !== null}
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
        onChange={(event) => setToken(event.target.value)}
      />
      <p id={`${id}-hint`} className={`${ui.muted} ${ui.small}`}>
        {t('admin.token.hint')}
      </p>
      {error ? (
        <p id={`${id}-error`} className={ui.error} role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className={`${ui.btn} ${ui.btnPrimary}`} aria-disabled={state.status === 'checking'}>
        {state.status === 'checking' ? t('admin.token.checking') : t('admin.token.submit')}
      </button>
    </form>
  );
}

/** The four reports as ARIA tabs (arrow keys, Home and End move between them). */
function Reports({ token }: { token: string }) {
  const { t, dir } = useAdminI18n();
  const [current, setCurrent] = useState<Report>('unanswered');
  const tabs = useRef<Partial<Record<Report, HTMLButtonElement | null>>>({});
  const id = useId();

  const select = (report: Report) => {
    setCurrent(report);
    tabs.current[report]?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const index = REPORTS.indexOf(current);
    const forward = dir === 'rtl' ? 'ArrowLeft' : 'ArrowRight';
    const back = dir === 'rtl' ? 'ArrowRight' : 'ArrowLeft';
    let next: number | null = null;
    if (event.key === forward) next = (index + 1) % REPORTS.length;
    else if (event.key === back) next = (index - 1 + REPORTS.length) % REPORTS.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = REPORTS.length - 1;
    if (next === null) return;
    event.preventDefault();
    select(REPORTS[next]!);
  };

  const View = VIEWS[current];
  return (
    <>
      <div className={styles.tabs} role="tablist" aria-label={t('admin.reports')} onKeyDown={onKeyDown}>
        {REPORTS.map((report) => (
          <button
            key={report}
            ref={(el) => {
              tabs.current[report] = el;
            }}
            type="button"
            role="tab"
            id={`${id}-tab-${report}`}
            className={styles.tab}
            aria-selected={report === current}
            aria-controls={`${id}-panel`}
            tabIndex={report === current ? 0 : -1}
            onClick={() => select(report)}
          >
            {t(`admin.tab.${report}`)}
          </button>
        ))}
      </div>
      <div className={styles.panel} role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${current}`} tabIndex={0}>
        <View key={current} token={token} />
      </div>
    </>
  );
}

/** `/admin`: the token, then unanswered questions, down-voted answers, failed searches, tickets. */
export default function AdminPage() {
  const { t } = useAdminI18n();
  const [token, setToken] = useState<string | null>(() => loadToken());
  const signOut = () => {
    clearToken();
    setToken(null);
  };
  return (
    <section className={`${ui.page} ${styles.admin}`}>
      <div className={styles.header}>
        <PageTitle title={t('admin.title')}>{t('admin.heading')}</PageTitle>
        {token ? (
          <button type="button" className={`${ui.btn} ${ui.btnSmall}`} onClick={signOut}>
            {t('admin.signOut')}
          </button>
        ) : null}
      </div>
      {token ? <Reports token={token} /> : <TokenForm onSignedIn={setToken} />}
    </section>
  );
}
