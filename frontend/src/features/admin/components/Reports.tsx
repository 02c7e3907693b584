import { useState } from 'react';
import ui from '../../../components/ui.module.css';
import { plural } from '../../../i18n';
import { useAdminI18n } from '../i18n';
import type { FailedSearch, FeedbackEntry, Ticket, UnansweredGroup } from '../../../lib/protocol';
import { DOWN_VOTES, downVotes, fetchFeedback, fetchSearches, fetchTickets, fetchUnanswered } from '../api/admin-api';
import { formatTime } from './admin-error-text';
import styles from './AdminPage.module.css';
import { ReportFrame } from './ReportFrame';
import { useReport } from './useReport';

interface ReportProps {
  token: string;
}

/** A reload counter for a report's Refresh button. */
function useReload(): [number, () => void] {
  const [count, setCount] = useState(0);
  return [count, () => setCount((c) => c + 1)];
}

const hasNone = (rows: unknown[]) => rows.length === 0;

/** A long text cut to a few lines, the whole of it one click away. */
function LongText({ text }: { text: string }) {
  if (text.length <= 240) return <span className={styles.preLine}>{text}</span>;
  return (
    <details className={styles.details}>
      <summary className={styles.preLine}>{`${text.slice(0, 200).trimEnd()}…`}</summary>
      <span className={styles.preLine}>{text}</span>
    </details>
  );
}

export function UnansweredReport({ token }: ReportProps) {
  const { t, lang } = useAdminI18n();
  const [reload, refresh] = useReload();
  const state = useReport(fetchUnanswered, token, reload);
  return (
    <ReportFrame report="unanswered" token={token} intro={t('admin.intro.unanswered')} state={state} isEmpty={hasNone} empty={t('admin.empty.unanswered')} onRefresh={refresh}>
      {(groups: UnansweredGroup[]) => (
        <table className={styles.table}>
          <caption className={ui.visuallyHidden}>{t('admin.tab.unanswered')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.col.product')}</th>
              <th scope="col">{t('admin.col.question')}</th>
              <th scope="col" className={styles.num}>
                {t('admin.col.times')}
              </th>
              <th scope="col">{t('admin.col.lastAsked')}</th>
            </tr>
          </thead>
          <tbody>
            {groups.map((group, i) => (
              <tr key={`${group.product_id}-${i}`}>
                <td>
                  <bdi>{group.product_name ?? group.product_id}</bdi>
                </td>
                <td>
                  <span className={styles.example}>{group.example}</span>
                  {group.questions.length > 1 ? (
                    <details className={styles.details}>
                      <summary>{t(plural('admin.wordings', group.questions.length), { count: group.questions.length })}</summary>
                      <ul className={styles.wordings}>
                        {group.questions.map((question, j) => (
                          <li key={j}>{question}</li>
                        ))}
                      </ul>
                    </details>
                  ) : null}
                </td>
                <td className={styles.num}>{group.count}</td>
                <td className={styles.nowrap}>{formatTime(group.last_asked, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </ReportFrame>
  );
}

const loadDownVotes = async (token: string, signal: AbortSignal): Promise<FeedbackEntry[]> =>
  downVotes(await fetchFeedback(token, signal, DOWN_VOTES));

export function FeedbackReport({ token }: ReportProps) {
  const { t, lang } = useAdminI18n();
  const [reload, refresh] = useReload();
  const state = useReport(loadDownVotes, token, reload);
  return (
    <ReportFrame
      report="feedback"
      token={token}
      intro={t('admin.intro.feedback')}
      state={state}
      isEmpty={hasNone}
      empty={t('admin.empty.feedback')}
      onRefresh={refresh}
      filter={DOWN_VOTES}
    >
      {(entries: FeedbackEntry[]) => (
        <table className={styles.table}>
          <caption className={ui.visuallyHidden}>{t('admin.tab.feedback')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.col.question')}</th>
              <th scope="col">{t('admin.col.answer')}</th>
              <th scope="col">{t('admin.col.comment')}</th>
              <th scope="col">{t('admin.col.product')}</th>
              <th scope="col">{t('admin.col.date')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.answer_id} data-testid="down-vote">
                <td>{entry.question}</td>
                <td className={styles.wide}>
                  <LongText text={entry.answer} />
                </td>
                <td>{entry.comment ? <span className={styles.preLine}>{entry.comment}</span> : <span className={ui.muted}>{t('admin.noComment')}</span>}</td>
                <td>
                  <bdi>{entry.product_id}</bdi>
                </td>
                <td className={styles.nowrap}>{formatTime(entry.created_at, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </ReportFrame>
  );
}

export function SearchesReport({ token }: ReportProps) {
  const { t, lang } = useAdminI18n();
  const [reload, refresh] = useReload();
  const state = useReport(fetchSearches, token, reload);
  return (
    <ReportFrame report="searches" token={token} intro={t('admin.intro.searches')} state={state} isEmpty={hasNone} empty={t('admin.empty.searches')} onRefresh={refresh}>
      {(searches: FailedSearch[]) => (
        <table className={styles.table}>
          <caption className={ui.visuallyHidden}>{t('admin.tab.searches')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.col.search')}</th>
              <th scope="col" className={styles.num}>
                {t('admin.col.times')}
              </th>
              <th scope="col">{t('admin.col.lastSeen')}</th>
            </tr>
          </thead>
          <tbody>
            {searches.map((search) => (
              <tr key={search.text}>
                <td>
                  <bdi>{search.text}</bdi>
                </td>
                <td className={styles.num}>{search.count}</td>
                <td className={styles.nowrap}>{formatTime(search.last_seen, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </ReportFrame>
  );
}

function Delivery({ ticket }: { ticket: Ticket }) {
  const { t, lang } = useAdminI18n();
  const badge = ticket.state === 'delivered' ? styles.delivered : ticket.state === 'pending' ? styles.pending : styles.stored;
  return (
    <>
      <span className={`${styles.badge} ${badge}`} data-state={ticket.state}>
        {t(`admin.state.${ticket.state}`)}
      </span>
      <span className={`${ui.block} ${ui.small} ${ui.muted}`}>
        {ticket.state === 'delivered' ? formatTime(ticket.delivered_at, lang) : null}
        {ticket.state === 'pending' && ticket.attempts > 0 ? t('admin.delivery.attempts', { count: ticket.attempts }) : null}
      </span>
      {ticket.state === 'pending' && ticket.next_attempt_at ? (
        <span className={`${ui.block} ${ui.small} ${ui.muted}`}>{t('admin.delivery.next', { date: formatTime(ticket.next_attempt_at, lang) })}</span>
      ) : null}
      {ticket.last_error && ticket.state !== 'delivered' ? (
        <span className={`${ui.block} ${ui.small} ${styles.errorText}`}>{t('admin.delivery.lastError', { error: ticket.last_error })}</span>
      ) : null}
    </>
  );
}

function ContactCell({ ticket }: { ticket: Ticket }) {
  const { t } = useAdminI18n();
  const { name, email, phone } = ticket.contact;
  if (!name && !email && !phone) return <span className={ui.muted}>{t('admin.noContact')}</span>;
  return (
    <>
      {name ? <span className={ui.block}>{name}</span> : null}
      {email ? (
        <a className={ui.block} href={`mailto:${email}`} dir="ltr">
          {email}
        </a>
      ) : null}
      {phone ? (
        <a className={ui.block} href={`tel:${phone.replace(/[^0-9+]/g, '')}`} dir="ltr">
          {phone}
        </a>
      ) : null}
    </>
  );
}

export function TicketsReport({ token }: ReportProps) {
  const { t, lang } = useAdminI18n();
  const [reload, refresh] = useReload();
  const state = useReport(fetchTickets, token, reload);
  return (
    <ReportFrame report="tickets" token={token} intro={t('admin.intro.tickets')} state={state} isEmpty={hasNone} empty={t('admin.empty.tickets')} onRefresh={refresh}>
      {(tickets: Ticket[]) => (
        <table className={styles.table}>
          <caption className={ui.visuallyHidden}>{t('admin.tab.tickets')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.col.ticket')}</th>
              <th scope="col">{t('admin.col.date')}</th>
              <th scope="col">{t('admin.col.product')}</th>
              <th scope="col">{t('admin.col.contact')}</th>
              <th scope="col">{t('admin.col.message')}</th>
              <th scope="col">{t('admin.col.delivery')}</th>
            </tr>
          </thead>
          <tbody>
            {tickets.map((ticket) => (
              <tr key={ticket.ticket_id} data-testid="ticket">
                <td>
                  <bdi className={styles.code}>{ticket.ticket_id}</bdi>
                </td>
                <td className={styles.nowrap}>{formatTime(ticket.created_at, lang)}</td>
                <td>
                  <bdi>{ticket.product?.name ?? ''}</bdi>
                </td>
                <td>
                  <ContactCell ticket={ticket} />
                </td>
                <td className={styles.wide}>{ticket.message ? <LongText text={ticket.message} /> : <span className={ui.muted}>{t('admin.noMessage')}</span>}</td>
                <td>
                  <Delivery ticket={ticket} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </ReportFrame>
  );
}
