import { useEffect } from 'react';
import { ConnectionBadge } from '../components/ConnectionBadge';
import { AppLinksContext } from '../components/links';
import { ConfigContext } from '../config/context';
import type { RuntimeConfig } from '../config/runtime';
import { ChatProvider, ChatView, ChatWelcome, useChatController, useConnection } from '../features/chat';
import type { ChatController } from '../features/chat/model/chat-controller';
import { I18nProvider, useI18n, type Lang } from '../i18n';
import type { Scenario } from '../lib/protocol';
import styles from './WidgetApp.module.css';

interface PanelProps {
  titleId: string;
  scenario: Scenario | null;
  onClose: () => void;
}

function WidgetPanel({ titleId, scenario, onClose }: PanelProps) {
  const { t, lang, dir } = useI18n();
  const chat = useChatController();
  const connection = useConnection();
  // data-scenario: where the chat starts; the reader can switch as in the app.
  useEffect(() => {
    if (scenario) chat.setScenario(scenario);
  }, [chat, scenario]);
  return (
    <div className={styles.panel} lang={lang} dir={dir} data-testid="widget-panel">
      <header className={styles.header}>
        <h2 id={titleId} className={styles.title}>
          {t('chat.title')}
        </h2>
        <ConnectionBadge state={connection} />
        <button type="button" className={styles.close} aria-label={t('widget.close')} onClick={onClose}>
          <span aria-hidden="true">×</span>
        </button>
      </header>
      <ChatView labelledBy={titleId} welcome={<ChatWelcome />} />
    </div>
  );
}

export interface WidgetAppProps extends PanelProps {
  config: RuntimeConfig;
  lang: Lang;
  brand: string | null;
  /** Tests pass their own chat (fake transport). */
  controller?: ChatController;
}

/**
 * The widget's panel: the app's chat (same controller, same components) with the server, language
 * and options of the script tag. Links to product pages open the support site in a new tab.
 */
export function WidgetApp({ config, lang, brand, controller, ...panel }: WidgetAppProps) {
  return (
    <ConfigContext.Provider value={config}>
      <I18nProvider initialLang={lang} languages={config.languages}>
        <AppLinksContext.Provider value={config.apiBaseUrl}>
          <ChatProvider brand={brand} controller={controller}>
            <WidgetPanel {...panel} />
          </ChatProvider>
        </AppLinksContext.Provider>
      </I18nProvider>
    </ConfigContext.Provider>
  );
}
