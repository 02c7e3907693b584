import type { ReactNode } from 'react';
import { Link } from 'wouter';
import { productPath } from '../lib/routes';
import styles from './ProductCard.module.css';
import { ProductThumb } from './ProductThumb';
import ui from './ui.module.css';

interface SummaryProps {
  brand?: string | null;
  name: string;
  /** The category, or a label such as "Recommended Headphones". */
  detail?: string | null;
  note?: string | null;
}

/** A product's brand, name and category, one above the other. */
export function ProductSummary({ brand, name, detail, note }: SummaryProps) {
  return (
    <span className={styles.summary}>
      {brand ? <span className={styles.brand}>{brand}</span> : null}
      <span className={styles.name}>{name}</span>
      {detail ? <span className={styles.detail}>{detail}</span> : null}
      {note ? <span className={`${ui.muted} ${ui.small}`}>{note}</span> : null}
    </span>
  );
}

/** A catalog product as a link to its page. */
export function ProductCard({ id, image, ...summary }: SummaryProps & { id: string; image: string | null | undefined }) {
  return (
    <Link href={productPath(id)} className={styles.card}>
      <ProductThumb src={image} name={summary.name} />
      <ProductSummary {...summary} />
    </Link>
  );
}

/** Product cards in a responsive grid; each child is an `<li>`. */
export function ProductGrid({ children }: { children: ReactNode }) {
  return <ul className={styles.grid}>{children}</ul>;
}
