import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import ui from '../../../components/ui.module.css';
import { useI18n } from '../../../i18n';
import { useChatController, useChatState } from '../chat-context';
import type { SendError } from '../model/chat-controller';
import { contactProblems, EMAIL_MAX, NAME_MAX, NOTE_MAX, PHONE_MAX, type ContactProblem } from '../model/contact';
import styles from './HandoffPanel.module.css';

// The handoff form, loaded when "Talk to a person" is first used (HandoffPanel): most customers
// never open it, so it stays out of the first page load.

const ERROR_KEYS: Record<Exclude<SendError['kind'], 'server'>, `handoff.error.${'offline' | 'dropped' | 'timeout'}`> = {
  offline: 'handoff.error.offline',
  dropped: 'handoff.error.dropped',
  timeout: 'handoff.error.timeout',
};

type Fields = { name: string; email: string; phone: string; message: string };
const EMPTY: Fields = { name: '', email: '', phone: '', message: '' };

function HandoffForm() {
  const { t, lang } = useI18n();
  const chat = useChatController();
  const handoff = useChatState((s) => s.handoff);
  const [fields, setFields] = useState<Fields>(EMPTY);
  const [problems, setProblems] = useState<ContactProblem[]>([]);
  const id = useId();
  const nameRef = useRef<HTMLInputElement>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const phoneRef = useRef<HTMLInputElement>(null);
  const sending = handoff.status === 'sending';

  const set = (key: keyof Fields) => (value: string) => {
    setFields((current) => ({ ...current, [key]: value }));
    if (key === 'email' || key === 'phone') setProblems((current) => current.filter((p) => p !== key));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (sending) return;
    const contact = { name: fields.name, email: fields.email, phone: fields.phone };
    const found = contactProblems(contact);
    setProblems(found);
    if (found.length > 0) {
      (found[0] === 'email' ? emailRef : phoneRef).current?.focus();
      return;
    }
    chat.requestHandoff({ message: fields.message, contact, lang });
  };

  useEffect(() => nameRef.current?.focus(), []);

  const error = handoff.status === 'error' ? handoff.error : null;
  const invalid = (key: ContactProblem) => problems.includes(key);
  const described = (key: ContactProblem) => (invalid(key) ? `${id}-${key}-error` : undefined);
  return (
    <form className={styles.form} onSubmit={submit} noValidate aria-describedby={`${id}-intro`}>
      <p id={`${id}-intro`} className={`${ui.muted} ${ui.small} ${styles.intro}`}>
        {t('handoff.intro')}
      </p>
      <div className={styles.grid}>
        <div>
          <label className={ui.fieldLabel} htmlFor={`${id}-name`}>
            {t('handoff.name')}
          </label>
          <input ref={nameRef} id={`${id}-name`} className={ui.textInput} autoComplete="name" maxLength={NAME_MAX} value={fields.name} onChange={(e) => set('name')(e.target.value)} />
        </div>
        <div>
          <label className={ui.fieldLabel} htmlFor={`${id}-email`}>
            {t('handoff.email')}
          </label>
          <input
            ref={emailRef}
            id={`${id}-email`}
            className={ui.textInput}
            type="email"
            inputMode="email"
            autoComplete="email"
            dir="ltr"
            maxLength={EMAIL_MAX}
            value={fields.email}
            aria-invalid={invalid('email')}
            aria-describedby={described('email')}
            onChange={(e) => set('email')(e.target.value)}
          />
          {invalid('email') ? (
            <p id={`${id}-email-error`} className={styles.fieldError}>
              {t('handoff.invalid.email')}
            </p>
          ) : null}
        </div>
        <div>
          <label className={ui.fieldLabel} htmlFor={`${id}-phone`}>
            {t('handoff.phone')}
          </label>
          <input
            ref={phoneRef}
            id={`${id}-phone`}
            className={ui.textInput}
            type="tel"
            inputMode="tel"
            autoComplete="tel"
            dir="ltr"
            maxLength={PHONE_MAX}
            value={fields.phone}
            aria-invalid={invalid('phone')}
            aria-describedby={described('phone')}
            onChange={(e) => set('phone')(e.target.value)}
          />
          {invalid('phone') ? (
            <p id={`${id}-phone-error`} className={styles.fieldError}>
              {t('handoff.invalid.phone')}
            </p>
          ) : null}
        </div>
      </div>
      <label className={ui.fieldLabel} htmlFor={`${id}-message`}>
        {t('handoff.message')}
      </label>
      <textarea
        id={`${id}-message`}
        className={`${ui.textInput} ${styles.textarea}`}
        rows={3}
        maxLength={NOTE_MAX}
        value={fields.message}
        aria-describedby={`${id}-count`}
        onChange={(e) => set('message')(e.target.value)}
      />
      <p id={`${id}-count`} className={`${ui.muted} ${ui.small} ${styles.count}`}>
        {t('form.charCount', { count: fields.message.length, max: NOTE_MAX })}
      </p>
      {!fields.email.trim() && !fields.phone.trim() ? <p className={`${ui.muted} ${ui.small}`}>{t('handoff.reachHint')}</p> : null}
      {error ? (
        <p className={ui.error} role="alert">
          {error.kind === 'server' ? t('handoff.error.server', { message: error.message }) : t(ERROR_KEYS[error.kind])}
        </p>
      ) : null}
      <div className={styles.actions}>
        <button type="button" className={ui.btn} onClick={() => chat.closeHandoff()}>
          {t('handoff.cancel')}
        </button>
        <button type="submit" className={`${ui.btn} ${ui.btnPrimary}`} aria-disabled={sending}>
          {sending ? t('handoff.sending') : t('handoff.send')}
        </button>
      </div>
    </form>
  );
}

function HandoffSent({ ticketId }: { ticketId: string | null }) {
  const { t, rich } = useI18n();
  const chat = useChatController();
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  return (
    <div className={styles.sent}>
      <p role="status" data-testid="handoff-confirmation">
        {t('handoff.sent')}{' '}
        {ticketId ? rich('handoff.ticket', { ticket: <strong data-testid="ticket-id">{ticketId}</strong> }) : null}
      </p>
      <button ref={closeRef} type="button" className={ui.btn} onClick={() => chat.closeHandoff()}>
        {t('common.close')}
      </button>
    </div>
  );
}

/** The form, or the ticket number once the request is acknowledged. */
export default function HandoffContent() {
  const sent = useChatState((s) => s.handoff.status === 'sent');
  const ticketId = useChatState((s) => s.handoff.ticketId);
  return sent ? <HandoffSent ticketId={ticketId} /> : <HandoffForm />;
}
