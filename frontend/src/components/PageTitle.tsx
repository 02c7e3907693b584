import { useEffect, type ReactNode } from 'react';
import ui from './ui.module.css';

/** The page's h1; it also names the browser tab. Focus moves to it on navigation (see App). */
export function PageTitle({ children, title }: { children: ReactNode; title: string }) {
  useEffect(() => {
    document.title = `${title} · HSC Support`;
  }, [title]);
  return (
    <h1 className={ui.pageTitle} tabIndex={-1}>
      {children}
    </h1>
  );
}
