import { lazy, Suspense, useEffect, useRef } from 'react';
import { Link, Route, Switch, useLocation } from 'wouter';
import { PageTitle } from '../components/PageTitle';
import { Spinner } from '../components/Spinner';
import ui from '../components/ui.module.css';
import { useI18n } from '../i18n';
import { ChatPage } from '../features/chat';
import { ADMIN_PATH, CATALOG_PATH, CHAT_PATH } from '../lib/routes';

// Everything but the chat loads on demand, each page in its own chunk.
const CatalogPage = lazy(() => import('../features/catalog'));
const ProductPage = lazy(() => import('../features/products'));
const AdminPage = lazy(() => import('../features/admin'));

function NotFound() {
  const { t } = useI18n();
  return (
    <section className={ui.page}>
      <PageTitle title={t('app.notFound.title')}>{t('app.notFound.heading')}</PageTitle>
      <p>
        <Link href={CHAT_PATH}>{t('app.notFound.back')}</Link>
      </p>
    </section>
  );
}

function Loading() {
  const { t } = useI18n();
  return (
    <p className={`${ui.page} ${ui.muted}`} role="status">
      <Spinner /> {t('common.loading')}
    </p>
  );
}

/** After a navigation, focus the new page's h1 so keyboard and screen-reader users start there. */
function useFocusOnNavigate() {
  const [location] = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const timer = setTimeout(() => document.querySelector<HTMLElement>('main h1')?.focus({ preventScroll: false }), 0);
    return () => clearTimeout(timer);
  }, [location]);
}

export function AppRoutes() {
  useFocusOnNavigate();
  return (
    <Suspense fallback={<Loading />}>
      <Switch>
        <Route path={CHAT_PATH} component={ChatPage} />
        <Route path={CATALOG_PATH} component={CatalogPage} />
        <Route path={`${CATALOG_PATH}/:brandId`} component={CatalogPage} />
        <Route path="/products/:id" component={ProductPage} />
        <Route path={ADMIN_PATH} component={AdminPage} />
        <Route component={NotFound} />
      </Switch>
    </Suspense>
  );
}
