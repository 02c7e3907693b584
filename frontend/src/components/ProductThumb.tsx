import { useState } from 'react';
import styles from './ProductThumb.module.css';

interface Props {
  src: string | null | undefined;
  name: string;
  size?: 'sm' | 'md' | 'lg';
  /** A circle instead of a rounded square. */
  round?: boolean;
}

/** A product picture, or the product's initials on a tile when there is none (or it fails to load). */
export function ProductThumb({ src, name, size = 'md', round = false }: Props) {
  const [failed, setFailed] = useState(false);
  const className = `${styles.thumb} ${styles[size]}${round ? ` ${styles.round}` : ''}`;
  if (src && !failed) {
    return <img className={className} src={src} alt="" loading="lazy" decoding="async" onError={() => setFailed(true)} />;
  }
  const initials = name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => word[0]?.toUpperCase() ?? '')
    .join('');
  return (
    <span className={`${className} ${styles.placeholder}`} aria-hidden="true">
      {initials}
    </span>
  );
}
