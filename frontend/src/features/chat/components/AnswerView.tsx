import { memo, type ReactNode } from 'react';
import { ProductLink } from '../../../components/ProductLink';
import { Spinner } from '../../../components/Spinner';
import ui from '../../../components/ui.module.css';
import { useI18n } from '../../../i18n';
import type { AnswerMessage } from '../model/chat-controller';
import { findSuggestion, manualHref, parseAnswer, type Segment } from '../model/markers';
import styles from './AnswerView.module.css';
import bubble from './bubble.module.css';
import { FeedbackBar } from './FeedbackBar';
import { HandoffOffer } from './HandoffPanel';
import { SCENARIO_KEYS } from './scenario-labels';

const BookIcon = () => (
  <svg className={styles.icon} viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
    <path fill="currentColor" d="M2 2.5A1.5 1.5 0 0 1 3.5 1H7a2 2 0 0 1 1 .27A2 2 0 0 1 9 1h3.5A1.5 1.5 0 0 1 14 2.5v10a.5.5 0 0 1-.5.5H9.6a1 1 0 0 0-.8.4l-.4.5a.5.5 0 0 1-.8 0l-.4-.5a1 1 0 0 0-.8-.4H2.5a.5.5 0 0 1-.5-.5v-10ZM7.5 3A1 1 0 0 0 6.5 2h-3a.5.5 0 0 0-.5.5V12h3.4c.4 0 .8.1 1.1.3V3Zm1 9.3c.3-.2.7-.3 1.1-.3H13V2.5a.5.5 0 0 0-.5-.5h-3a1 1 0 0 0-1 1v9.3Z" />
  </svg>
);

function ManualChip({ page, answer }: { page: number; answer: AnswerMessage }) {
  const { t } = useI18n();
  const href = manualHref(page, answer.sources, answer.docUrl, answer.docType);
  const text = t('answer.manualChip', { page });
  if (!href) return <span className={styles.chip}>{text}</span>;
  return (
    <a className={styles.chip} href={href} target="_blank" rel="noopener noreferrer" aria-label={t('answer.manualChipLabel', { page })}>
      <BookIcon />
      {text}
    </a>
  );
}

function SuggestionCard({ name, answer }: { name: string; answer: AnswerMessage }) {
  const { t } = useI18n();
  const item = findSuggestion(name, answer.relatedItems);
  return (
    <aside className={`${styles.card} ${styles.suggestion}`} aria-label={t('answer.suggestion')}>
      <span className={styles.eyebrow}>{t('answer.suggestion')}</span>
      {item ? (
        <ProductLink id={item.id} className={styles.cardTitle}>
          <bdi>{item.name}</bdi>
        </ProductLink>
      ) : (
        <bdi className={styles.cardTitle}>{name}</bdi>
      )}
      {item?.label || item?.category ? <span className={ui.muted}>{item.label || item.category}</span> : null}
    </aside>
  );
}

function TipCard({ text }: { text: string }) {
  const { t } = useI18n();
  return (
    <aside className={`${styles.card} ${styles.tip}`} aria-label={t('answer.tip')}>
      <span className={styles.eyebrow}>{t('answer.tip')}</span>
      <p dir="auto">{text}</p>
    </aside>
  );
}

/** Text and page chips flow together in paragraphs; suggestion and tip cards stand alone. */
function renderSegments(segments: Segment[], answer: AnswerMessage): ReactNode[] {
  const out: ReactNode[] = [];
  let inline: ReactNode[] = [];
  const flush = () => {
    if (inline.length) out.push(
        // dir="auto": the answer's own direction (English text stays left-to-right in Hebrew).
        <p key={`p${out.length}`} className={bubble.text} data-testid="answer-text" dir="auto">
          {inline}
        </p>,
      );
    inline = [];
  };
  segments.forEach((segment, i) => {
    if (segment.kind === 'text') inline.push(<span key={i}>{segment.text}</span>);
    else if (segment.kind === 'manual') inline.push(<ManualChip key={i} page={segment.page} answer={answer} />);
    else {
      flush();
      out.push(
        segment.kind === 'suggestion' ? (
          <SuggestionCard key={i} name={segment.name} answer={answer} />
        ) : (
          <TipCard key={i} text={segment.text} />
        ),
      );
    }
  });
  flush();
  return out;
}

export const AnswerView = memo(function AnswerView({ answer }: { answer: AnswerMessage }) {
  const { t, rich } = useI18n();
  const segments = parseAnswer(answer.chunks);
  const streaming = answer.state === 'streaming';
  return (
    <div
      className={`${bubble.bubble} ${bubble.answer}${answer.state === 'error' ? ` ${bubble.hasError}` : ''}`}
      data-state={answer.state}
      data-testid="answer"
    >
      <p className={bubble.meta}>
        {rich('answer.meta', { product: answer.productName, scenario: t(SCENARIO_KEYS[answer.scenario]) })}
        {answer.cached ? ` · ${t('answer.cached')}` : ''}
      </p>
      {renderSegments(segments, answer)}
      {streaming && answer.status ? (
        <p className={styles.status} data-testid="answer-status">
          <Spinner /> {answer.status}
        </p>
      ) : null}
      {answer.state === 'error' && answer.error ? (
        <p className={ui.error} data-testid="answer-error">
          <span aria-hidden="true">⚠ </span>
          {answer.error}
        </p>
      ) : null}
      {answer.state === 'done' && !answer.found ? (
        <p className={`${ui.muted} ${ui.small}`}>{t('answer.notFound')}</p>
      ) : null}
      {answer.state === 'done' && !answer.found ? <HandoffOffer reason="not_found" /> : null}
      {answer.sources.length > 0 ? (
        <div className={styles.sources}>
          <h3 className={styles.sourcesTitle}>{t('answer.sources')}</h3>
          <ul>
            {answer.sources.map((source) => (
              <li key={`${source.url}#${source.page ?? ''}`}>
                <a href={source.page !== null ? (manualHref(source.page, [source], null, answer.docType) ?? source.url) : source.url} target="_blank" rel="noopener noreferrer">
                  {source.page !== null ? (
                    rich('answer.sourcePage', { title: source.title || t('answer.sourceManual'), page: source.page })
                  ) : (
                    <bdi>{source.title || t('answer.sourceManual')}</bdi>
                  )}
                  <span className={ui.visuallyHidden}> {t('common.opensInNewTab')}</span>
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {answer.state === 'done' && answer.answerId ? <FeedbackBar answer={answer} answerId={answer.answerId} /> : null}
    </div>
  );
});
