import { lazy, Suspense, useEffect, useRef } from 'react';
import { Link, Route, Switch, useLocation } from 'wouter';
import { PageTitle } from '../components/PageTitle';
import { Spinner } from '../components/Spinner';
import ui from '../components/ui.module.css';
import { ChatPage } from '../features/chat';
import { CATALOG_PATH, CHAT_PATH } from '../lib/routes';

// Everything but the chat loads on demand, each page in its own chunk.
const CatalogPage = lazy(() => import('../features/catalog'));
const ProductPage = lazy(() => import('../features/products'));

function NotFound() {
  return (
    <section className={ui.page}>
      <PageTitle title="Not found">Page not found</PageTitle>
      <p>
        <Link href={CHAT_PATH}>Go to the support chat</Link>
      </p>
    </section>
  );
}

function Loading() {
  return (
    <p className={`${ui.page} ${ui.muted}`} role="status">
      <Spinner /> Loading…
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
        <Route component={NotFound} />
      </Switch>
    </Suspense>
  );
}
