import { useContext, type ReactNode } from 'react';
import { Link } from 'wouter';
import { useI18n } from '../i18n';
import { productPath } from '../lib/routes';
import { AppLinksContext } from './links';
import ui from './ui.module.css';

/** A link to a product's page: in the app a route, in the widget the support site in a new tab. */
export function ProductLink({ id, className, children }: { id: string; className?: string; children: ReactNode }) {
  const external = useContext(AppLinksContext);
  const { t } = useI18n();
  if (external === null) {
    return (
      <Link href={productPath(id)} className={className}>
        {children}
      </Link>
    );
  }
  return (
    <a href={`${external}${productPath(id)}`} className={className} target="_blank" rel="noopener noreferrer">
      {children}
      <span className={ui.visuallyHidden}> {t('common.opensInNewTab')}</span>
    </a>
  );
}
