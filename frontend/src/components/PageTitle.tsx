import { useEffect, type ReactNode } from 'react';

/** The page's h1; it also names the browser tab. Focus moves to it on navigation (see App). */
export function PageTitle({ children, title }: { children: ReactNode; title: string }) {
  useEffect(() => {
    document.title = `${title} · HSC Support`;
  }, [title]);
  return (
    <h1 className="page-title" tabIndex={-1}>
      {children}
    </h1>
  );
}
