import { useEffect, useRef } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import ui from '../../../components/ui.module.css';
import { useConfig } from '../../../config/context';
import { useI18n } from '../../../i18n';
import { errorText, fetchProduct } from '../../../lib/api/client';
import { CATALOG_PATH } from '../../../lib/routes';
import { useChatController } from '../chat-context';
import styles from './ChatPage.module.css';
import { ChatView, ChatWelcome } from './ChatView';

function Welcome() {
  const { rich, t } = useI18n();
  return (
    <ChatWelcome>
      <p className={ui.muted}>{rich('chat.welcome.browse', { catalog: <Link href={CATALOG_PATH}>{t('chat.welcome.catalogLink')}</Link> })}</p>
    </ChatWelcome>
  );
}

/** `/?product=ID` (from a product page's "Ask about this product"): pick that product. */
function useProductFromQuery() {
  const chat = useChatController();
  const { apiBaseUrl } = useConfig();
  const { t } = useI18n();
  const search = useSearch();
  const [, navigate] = useLocation();
  const handled = useRef<string | null>(null);
  // The words for a failure, read when it happens (a language switch must not refetch).
  const describe = useRef(t);
  useEffect(() => {
    describe.current = t;
  }, [t]);
  useEffect(() => {
    const id = new URLSearchParams(search).get('product');
    if (!id || handled.current === id) return;
    handled.current = id;
    const abort = new AbortController();
    fetchProduct(apiBaseUrl, id, abort.signal)
      .then((details) => {
        chat.lock({ product: details.product, brand: details.brand, relatedItems: details.relatedItems });
        navigate('/', { replace: true });
      })
      .catch((error: unknown) => {
        if (error instanceof DOMException && error.name === 'AbortError') return;
        chat.notice(error instanceof Error ? errorText(error, describe.current) : describe.current('chat.productLoadFailed'));
        navigate('/', { replace: true });
      });
    return () => {
      abort.abort();
      handled.current = null;
    };
  }, [search, chat, navigate, apiBaseUrl]);
}

/** `/`: the support chat, as the app's main page. */
export function ChatPage() {
  const { t } = useI18n();
  useProductFromQuery();
  return (
    <ChatView
      labelledBy="chat-title"
      heading={
        <h1 id="chat-title" className={`${ui.pageTitle} ${styles.title}`} tabIndex={-1}>
          {t('chat.title')}
        </h1>
      }
      welcome={<Welcome />}
    />
  );
}
