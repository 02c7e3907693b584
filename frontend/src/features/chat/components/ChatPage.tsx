import { useEffect, useRef } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { fetchProduct } from '../../../lib/api/client';
import ui from '../../../components/ui.module.css';
import { CATALOG_PATH } from '../../../lib/routes';
import { useChatController, useChatState } from '../chat-context';
import styles from './ChatPage.module.css';
import { Composer } from './Composer';
import { MessageList } from './MessageList';
import { ScenarioToggle } from './ScenarioToggle';

function Welcome() {
  return (
    <div className={styles.welcome}>
      <h2>How can we help?</h2>
      <ol>
        <li>Type the name of your instrument below – typos are fine.</li>
        <li>Pick it from the cards.</li>
        <li>Ask your question: answers come from the official manual, with the pages cited.</li>
      </ol>
      <p className={ui.muted}>
        Or browse the <Link href={CATALOG_PATH}>catalog</Link>.
      </p>
    </div>
  );
}

/** `/?product=ID` (from a product page's "Ask about this product"): pick that product. */
function useProductFromQuery() {
  const chat = useChatController();
  const search = useSearch();
  const [, navigate] = useLocation();
  const handled = useRef<string | null>(null);
  useEffect(() => {
    const id = new URLSearchParams(search).get('product');
    if (!id || handled.current === id) return;
    handled.current = id;
    const abort = new AbortController();
    fetchProduct(id, abort.signal)
      .then((details) => {
        chat.lock({ product: details.product, brand: details.brand, relatedItems: details.relatedItems });
        navigate('/', { replace: true });
      })
      .catch((error: unknown) => {
        if (error instanceof DOMException && error.name === 'AbortError') return;
        chat.notice(error instanceof Error ? error.message : 'That product could not be loaded.');
        navigate('/', { replace: true });
      });
    return () => {
      abort.abort();
      handled.current = null;
    };
  }, [search, chat, navigate]);
}

export function ChatPage() {
  const chat = useChatController();
  const messages = useChatState((s) => s.messages);
  const scenario = useChatState((s) => s.scenario);
  const busy = useChatState((s) => s.pending !== null);
  const alert = useChatState((s) => s.alert);
  useProductFromQuery();

  return (
    <section className={styles.chat} aria-labelledby="chat-title">
      <div className={styles.toolbar}>
        <h1 id="chat-title" className={`${ui.pageTitle} ${styles.title}`} tabIndex={-1}>
          Support chat
        </h1>
        <ScenarioToggle value={scenario} onChange={(s) => chat.setScenario(s)} />
      </div>
      <MessageList messages={messages} busy={busy} empty={<Welcome />} />
      {alert ? (
        <div className={styles.alert} role="alert">
          <span>{alert}</span>
          <button type="button" className={`${ui.btn} ${ui.btnSmall}`} onClick={() => chat.dismissAlert()}>
            Dismiss
          </button>
        </div>
      ) : null}
      <Composer />
    </section>
  );
}
