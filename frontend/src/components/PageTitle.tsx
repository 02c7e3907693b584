import { useEffect, type ReactNode } from 'react';
import { useI18n } from '../i18n';
import ui from './ui.module.css';

/** The page's h1; it also names the browser tab. Focus moves to it on navigation (see App). */
export function PageTitle({ children, title }: { children: ReactNode; title: string }) {
  const { t } = useI18n();
  const tabTitle = t('app.pageTitle', { title });
  useEffect(() => {
    document.title = tabTitle;
  }, [tabTitle]);
  return (
    <h1 className={ui.pageTitle} tabIndex={-1}>
      {children}
    </h1>
  );
}
