import { useId, useState, type FormEvent } from 'react';
import ui from '../../../components/ui.module.css';
import { useI18n } from '../../../i18n';
import { useChatController } from '../chat-context';
import type { AnswerMessage, Rating, SendError } from '../model/chat-controller';
import { NOTE_MAX } from '../model/contact';
import styles from './FeedbackBar.module.css';
import { HandoffOffer } from './HandoffPanel';

const ThumbIcon = ({ down }: { down?: boolean }) => (
  <svg className={down ? styles.flip : undefined} viewBox="0 0 16 16" width="18" height="18" aria-hidden="true" focusable="false">
    <path
      fill="currentColor"
      d="M8.86 1.2a1 1 0 0 1 1.3.32c.5.73.6 1.66.3 2.48L10 5.5h3a1.5 1.5 0 0 1 1.47 1.8l-1 5A1.5 1.5 0 0 1 12 13.5H6a1 1 0 0 1-1-1V6.6a1 1 0 0 1 .25-.66L8.86 1.2ZM2 6.5h1.5a.5.5 0 0 1 .5.5v6a.5.5 0 0 1-.5.5H2a.5.5 0 0 1-.5-.5V7a.5.5 0 0 1 .5-.5Z"
    />
  </svg>
);

const ERROR_KEYS: Record<Exclude<SendError['kind'], 'server'>, `feedback.error.${'offline' | 'dropped' | 'timeout'}`> = {
  offline: 'feedback.error.offline',
  dropped: 'feedback.error.dropped',
  timeout: 'feedback.error.timeout',
};

/**
 * Thumbs up / down under a finished answer (toggle buttons with `aria-pressed`), an optional
 * comment after a down-vote, and the offer of a person. Each rating goes out as a `feedback`
 * frame at once; the comment is sent as the same rating again, with the comment.
 */
export function FeedbackBar({ answer, answerId }: { answer: AnswerMessage; answerId: string }) {
  const { t } = useI18n();
  const chat = useChatController();
  const [comment, setComment] = useState('');
  const [commentClosed, setCommentClosed] = useState(false);
  const commentId = useId();
  const feedback = answer.feedback;
  const rating = feedback?.rating ?? null;

  const rate = (next: Rating) => {
    // The same rating again only when it failed (a retry); a change of mind is always sent.
    if (feedback && feedback.rating === next && feedback.status !== 'error') return;
    setCommentClosed(false);
    chat.rate(answerId, next);
  };
  const sendComment = (event: FormEvent) => {
    event.preventDefault();
    if (!comment.trim()) {
      setCommentClosed(true);
      return;
    }
    chat.rate(answerId, 'down', comment);
  };

  const showComment = rating === 'down' && feedback?.comment == null && !commentClosed && feedback?.status !== 'error';
  let status = '';
  if (feedback?.status === 'sending') status = t('feedback.sending');
  else if (feedback?.status === 'sent') status = feedback.comment ? t('feedback.commentThanks') : t('feedback.thanks');
  const error = feedback?.status === 'error' && feedback.error ? feedback.error : null;
  const retry = () => {
    if (feedback) chat.rate(answerId, feedback.rating, feedback.comment ?? undefined);
  };

  return (
    <div className={styles.feedback}>
      <div className={styles.row} role="group" aria-label={t('feedback.question')}>
        <span className={styles.question} aria-hidden="true">
          {t('feedback.question')}
        </span>
        <button type="button" className={styles.thumb} aria-pressed={rating === 'up'} aria-label={t('feedback.up')} title={t('feedback.up')} onClick={() => rate('up')}>
          <ThumbIcon />
        </button>
        <button type="button" className={styles.thumb} aria-pressed={rating === 'down'} aria-label={t('feedback.down')} title={t('feedback.down')} onClick={() => rate('down')}>
          <ThumbIcon down />
        </button>
        <span className={`${ui.muted} ${ui.small}`} role="status">
          {status}
        </span>
      </div>
      {error ? (
        <p className={ui.error} role="alert">
          {error.kind === 'server' ? t('feedback.error.server', { message: error.message }) : t(ERROR_KEYS[error.kind])}{' '}
          <button type="button" className={`${ui.btn} ${ui.btnSmall}`} onClick={retry}>
            {t('feedback.retry')}
          </button>
        </p>
      ) : null}
      {showComment ? (
        <form className={styles.comment} onSubmit={sendComment}>
          <label className={ui.fieldLabel} htmlFor={commentId}>
            {t('feedback.commentLabel')}
          </label>
          <textarea
            id={commentId}
            className={`${ui.textInput} ${styles.textarea}`}
            value={comment}
            maxLength={NOTE_MAX}
            rows={3}
            aria-describedby={`${commentId}-count`}
            onChange={(event) => setComment(event.target.value)}
          />
          <div className={styles.actions}>
            <span id={`${commentId}-count`} className={`${ui.muted} ${ui.small}`}>
              {t('form.charCount', { count: comment.length, max: NOTE_MAX })}
            </span>
            <button type="button" className={`${ui.btn} ${ui.btnSmall}`} onClick={() => setCommentClosed(true)}>
              {t('feedback.commentSkip')}
            </button>
            <button type="submit" className={`${ui.btn} ${ui.btnSmall} ${ui.btnPrimary}`}>
              {t('feedback.commentSend')}
            </button>
          </div>
        </form>
      ) : null}
      {/* An answer the manual did not cover carries the offer already. */}
      {rating === 'down' && answer.found ? <HandoffOffer reason="down_vote" /> : null}
    </div>
  );
}
