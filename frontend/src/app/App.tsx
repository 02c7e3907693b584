import { Link, Router, useRoute, type BaseLocationHook, type BaseSearchHook } from 'wouter';
import { ConnectionBadge } from '../components/ConnectionBadge';
import { ChatProvider, useConnection } from '../features/chat';
import type { ChatController } from '../features/chat/model/chat-controller';
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

function Header() {
  const connection = useConnection();
  return (
    <header className={styles.header}>
      <Link href={CHAT_PATH} className={styles.brandMark}>
        <span aria-hidden="true">♪</span> HSC Support
      </Link>
      <nav aria-label="Main" className={styles.mainNav}>
        <NavLink href={CHAT_PATH} match={CHAT_PATH}>
          Chat
        </NavLink>
        <NavLink href={CATALOG_PATH} match={`${CATALOG_PATH}/*?`}>
          Catalog
        </NavLink>
      </nav>
      <ConnectionBadge state={connection} />
    </header>
  );
}

interface AppProps {
  /** Tests pass their own chat (fake transport) and location (memory router). */
  controller?: ChatController;
  location?: { hook: BaseLocationHook; searchHook: BaseSearchHook };
}

export function App({ controller, location }: AppProps) {
  return (
    <Router hook={location?.hook} searchHook={location?.searchHook}>
      <ChatProvider controller={controller}>
        <a href="#main" className={styles.skipLink}>
          Skip to content
        </a>
        <div className={styles.app}>
          <Header />
          <main id="main" className={styles.main}>
            <AppRoutes />
          </main>
        </div>
      </ChatProvider>
    </Router>
  );
}
