import { lazy, Suspense, useId, useLayoutEffect, useRef, type KeyboardEvent } from 'react';
import { Spinner } from '../../../components/Spinner';
import ui from '../../../components/ui.module.css';
import { useI18n } from '../../../i18n';
import { useChatController, useChatState } from '../chat-context';
import type { HandoffReason } from '../model/chat-controller';
import { loadHandoffForm } from './handoff-loader';
import styles from './HandoffPanel.module.css';

const HandoffContent = lazy(loadHandoffForm);

/** The panel's id, for the buttons that open it (`aria-controls`). */
export const HANDOFF_PANEL_ID = 'hsc-handoff';

const OFFER_KEYS: Record<Exclude<HandoffReason, 'asked'>, `handoff.offer.${'notFound' | 'downVote'}`> = {
  not_found: 'handoff.offer.notFound',
  down_vote: 'handoff.offer.downVote',
};

// Fetch the form's chunk as soon as a button that opens it is pointed at or focused.
const preload = () => void loadHandoffForm().catch(() => undefined); // a failure shows when it is opened

/** "Talk to a person", always there (the chat's toolbar; the widget's header). */
export function HandoffButton({ className }: { className?: string }) {
  const { t } = useI18n();
  const chat = useChatController();
  const open = useChatState((s) => s.handoff.open);
  return (
    <button
      type="button"
      className={className ?? `${ui.btn} ${ui.btnSmall}`}
      aria-expanded={open}
      aria-controls={open ? HANDOFF_PANEL_ID : undefined}
      onPointerEnter={preload}
      onFocus={preload}
      onClick={() => (open ? chat.closeHandoff() : chat.openHandoff('asked'))}
    >
      {t('handoff.open')}
    </button>
  );
}

/** The offer of a person after an answer that did not help (not in the manual, or down-voted). */
export function HandoffOffer({ reason }: { reason: Exclude<HandoffReason, 'asked'> }) {
  const { t } = useI18n();
  const chat = useChatController();
  return (
    <p className={styles.offer}>
      <span>{t(OFFER_KEYS[reason])}</span>{' '}
      <button
        type="button"
        className={`${ui.btn} ${ui.btnSmall}`}
        aria-controls={HANDOFF_PANEL_ID}
        onPointerEnter={preload}
        onFocus={preload}
        onClick={() => chat.openHandoff(reason)}
      >
        {t('handoff.open')}
      </button>
    </p>
  );
}

/**
 * The request for a person: optional name, email, phone (checked like the server does) and a
 * message, sent as a `handoff` frame with the conversation; the ticket number when it is
 * acknowledged. Shown while `handoff.open`; Escape closes it and focus goes back where it was.
 */
export function HandoffPanel() {
  const { t } = useI18n();
  const chat = useChatController();
  const handoff = useChatState((s) => s.handoff);
  const titleId = useId();
  const returnFocus = useRef<Element | null>(null);

  // A layout effect: it runs before the form's effect moves the focus into the panel.
  useLayoutEffect(() => {
    if (!handoff.open) return;
    returnFocus.current = document.activeElement;
    return () => {
      const previous = returnFocus.current;
      if (previous instanceof HTMLElement && previous.isConnected) previous.focus();
    };
  }, [handoff.open]);

  if (!handoff.open) return null;
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && handoff.status !== 'sending') {
      event.stopPropagation();
      chat.closeHandoff();
    }
  };
  return (
    // Escape anywhere in the panel closes it (a convenience; Cancel and Close are the buttons).
    <section id={HANDOFF_PANEL_ID} className={styles.panel} aria-labelledby={titleId} onKeyDown={onKeyDown} data-testid="handoff-panel">
      <h2 id={titleId} className={styles.title}>
        {t('handoff.title')}
      </h2>
      <Suspense
        fallback={
          <p className={ui.muted} role="status">
            <Spinner /> {t('common.loading')}
          </p>
        }
      >
        <HandoffContent />
      </Suspense>
    </section>
  );
}
