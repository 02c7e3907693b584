import { useEffect } from 'react';
import { Link, Router, useRoute, type BaseLocationHook, type BaseSearchHook } from 'wouter';
import { ConnectionBadge } from '../components/ConnectionBadge';
import { ConfigContext } from '../config/context';
import { DEFAULT_CONFIG, type RuntimeConfig } from '../config/runtime';
import { ChatProvider, useConnection } from '../features/chat';
import type { ChatController } from '../features/chat/model/chat-controller';
import { I18nProvider, useI18n, type Lang } from '../i18n';
import { CATALOG_PATH, CHAT_PATH } from '../lib/routes';
import styles from './App.module.css';
import { AppRoutes } from './routes';

function NavLink({ href, children, match }: { href: string; children: string; match: string }) {
  const [active] = useRoute(match);
  return (
    <Link href={href} className={styles.navLink} aria-current={active ? 'page' : undefined}>
      {children}
    </Link>
  );
}

/** The header's language switch (the choice is remembered, see I18nProvider `persist`). */
function LanguageSwitch() {
  const { t, lang, languages, setLang } = useI18n();
  if (languages.length < 2) return null;
  return (
    <div role="group" aria-label={t('app.language')} className={styles.langSwitch}>
      {languages.map((code) => (
        <button key={code} type="button" lang={code} className={styles.langButton} aria-pressed={code === lang} onClick={() => setLang(code)}>
          {t(`lang.${code}`)}
        </button>
      ))}
    </div>
  );
}

/** The page's `<html lang dir>` follow the chosen language (right-to-left for Hebrew). */
function useDocumentLang() {
  const { lang, dir } = useI18n();
  useEffect(() => {
    document.documentElement.lang = lang;
    document.documentElement.dir = dir;
  }, [lang, dir]);
}

function Header() {
  const { t } = useI18n();
  const connection = useConnection();
  useDocumentLang();
  return (
    <header className={styles.header}>
      <Link href={CHAT_PATH} className={styles.brandMark}>
        <span aria-hidden="true">♪</span> {t('app.name')}
      </Link>
      <nav aria-label={t('app.nav')} className={styles.mainNav}>
        <NavLink href={CHAT_PATH} match={CHAT_PATH}>
          {t('app.nav.chat')}
        </NavLink>
        <NavLink href={CATALOG_PATH} match={`${CATALOG_PATH}/*?`}>
          {t('app.nav.catalog')}
        </NavLink>
      </nav>
      <LanguageSwitch />
      <ConnectionBadge state={connection} />
    </header>
  );
}

function SkipLink() {
  const { t } = useI18n();
  return (
    <a href="#main" className={styles.skipLink}>
      {t('app.skipToContent')}
    </a>
  );
}

const SAME_ORIGIN_DEFAULTS: RuntimeConfig = { ...DEFAULT_CONFIG, apiBaseUrl: '' };

interface AppProps {
  /** The run-time config (`GET /api/config`, read by main.tsx); defaults when left out. */
  config?: RuntimeConfig;
  /** The language to start in (main.tsx: stored choice, browser, server default). */
  initialLang?: Lang;
  /** Tests pass their own chat (fake transport) and location (memory router). */
  controller?: ChatController;
  location?: { hook: BaseLocationHook; searchHook: BaseSearchHook };
}

export function App({ config = SAME_ORIGIN_DEFAULTS, initialLang, controller, location }: AppProps) {
  return (
    <ConfigContext.Provider value={config}>
      <I18nProvider initialLang={initialLang ?? config.defaultLang} languages={config.languages} persist>
        <Router hook={location?.hook} searchHook={location?.searchHook}>
          <ChatProvider controller={controller}>
            <SkipLink />
            <div className={styles.app}>
              <Header />
              <main id="main" className={styles.main}>
                <AppRoutes />
              </main>
            </div>
          </ChatProvider>
        </Router>
      </I18nProvider>
    </ConfigContext.Provider>
  );
}
