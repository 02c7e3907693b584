import { useEffect, useState, type ReactNode } from 'react';
import { Spinner } from '../../../components/Spinner';
import ui from '../../../components/ui.module.css';
import { useI18n } from '../../../i18n';
import { useChatController, useChatState } from '../chat-context';
import styles from './ChatPage.module.css';
import { Composer } from './Composer';
import { HandoffButton, HandoffPanel } from './HandoffPanel';
import { loadConversation, loadedConversation, type Conversation } from './conversation';
import { ScenarioToggle } from './ScenarioToggle';

function useConversation(): Conversation | null {
  const [list, setList] = useState<Conversation | null>(loadedConversation);
  useEffect(() => {
    if (list) return;
    let live = true;
    loadConversation().then(
      (loaded) => live && setList(() => loaded),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [list]);
  return list;
}

/** The three steps shown before the first question; `children` adds a line (the app: the catalog). */
export function ChatWelcome({ children }: { children?: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className={styles.welcome}>
      <h2>{t('chat.welcome.title')}</h2>
      <ol>
        <li>{t('chat.welcome.step1')}</li>
        <li>{t('chat.welcome.step2')}</li>
        <li>{t('chat.welcome.step3')}</li>
      </ol>
      {children}
    </div>
  );
}

interface Props {
  /** The heading beside the scenario switch (the app's h1); its id names the section. */
  heading?: ReactNode;
  labelledBy: string;
  welcome: ReactNode;
}

/**
 * The chat itself: scenario and "Talk to a person", conversation, alert, the handoff form and
 * the input box. The app's chat page and the widget's panel both show this, on the same
 * ChatController (context).
 */
export function ChatView({ heading, labelledBy, welcome }: Props) {
  const { t } = useI18n();
  const chat = useChatController();
  const messages = useChatState((s) => s.messages);
  const scenario = useChatState((s) => s.scenario);
  const busy = useChatState((s) => s.pending !== null);
  const alert = useChatState((s) => s.alert);
  const List = useConversation();

  return (
    <section className={styles.chat} aria-labelledby={labelledBy}>
      <div className={styles.toolbar}>
        {heading}
        <div className={styles.tools}>
          <ScenarioToggle value={scenario} onChange={(s) => chat.setScenario(s)} />
          <HandoffButton />
        </div>
      </div>
      {List ? (
        // `List` is MessageList itself once its chunk is in (one function, never re-created).
        // eslint-disable-next-line react-hooks/static-components
        <List messages={messages} busy={busy} empty={welcome} />
      ) : (
        <div className={styles.loadingList}>{messages.length === 0 ? welcome : <Spinner />}</div>
      )}
      {alert ? (
        <div className={styles.alert} role="alert">
          <span>{alert}</span>
          <button type="button" className={`${ui.btn} ${ui.btnSmall}`} onClick={() => chat.dismissAlert()}>
            {t('common.dismiss')}
          </button>
        </div>
      ) : null}
      <HandoffPanel />
      <Composer />
    </section>
  );
}
