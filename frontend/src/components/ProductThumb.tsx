import { useState } from 'react';

interface Props {
  src: string | null | undefined;
  name: string;
  size?: 'sm' | 'md' | 'lg';
}

/** A product picture, or the product's initials on a tile when there is none (or it fails to load). */
export function ProductThumb({ src, name, size = 'md' }: Props) {
  const [failed, setFailed] = useState(false);
  if (src && !failed) {
    return <img className={`thumb thumb-${size}`} src={src} alt="" loading="lazy" decoding="async" onError={() => setFailed(true)} />;
  }
  const initials = name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => word[0]?.toUpperCase() ?? '')
    .join('');
  return (
    <span className={`thumb thumb-${size} thumb-placeholder`} aria-hidden="true">
      {initials}
    </span>
  );
}
