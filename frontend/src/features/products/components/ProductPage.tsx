import { Link, useParams } from 'wouter';
import { PageTitle } from '../../../components/PageTitle';
import { ProductCard, ProductGrid } from '../../../components/ProductCard';
import { ProductThumb } from '../../../components/ProductThumb';
import { Spinner } from '../../../components/Spinner';
import ui from '../../../components/ui.module.css';
import { fetchProduct } from '../../../lib/api/client';
import { useAsync } from '../../../lib/hooks/useAsync';
import { asText, productImage, type RelatedItem } from '../../../lib/protocol';
import { askAboutPath, brandPath, CATALOG_PATH } from '../../../lib/routes';
import styles from './ProductPage.module.css';
import { Specs } from './Specs';

const TYPE_LABELS: Record<string, string> = { accessory: 'Accessories', related: 'Related products', spare_part: 'Spare parts' };

function formatPrice(price: unknown): string | null {
  if (typeof price === 'number' && Number.isFinite(price)) {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(price);
  }
  return asText(price) || null;
}

function RelatedItems({ items }: { items: RelatedItem[] }) {
  const groups = new Map<string, RelatedItem[]>();
  for (const item of items) {
    const type = item.type ?? 'related';
    groups.set(type, [...(groups.get(type) ?? []), item]);
  }
  return (
    <>
      {[...groups.entries()].map(([type, list]) => (
        <section key={type} aria-labelledby={`rel-${type}`}>
          <h2 id={`rel-${type}`} className={ui.sectionTitle}>
            {TYPE_LABELS[type] ?? 'Related'}
          </h2>
          <ProductGrid>
            {list.map((item) => (
              <li key={item.id}>
                <ProductCard id={item.id} image={item.image} name={item.name} detail={item.label || item.category} />
              </li>
            ))}
          </ProductGrid>
        </section>
      ))}
    </>
  );
}

/** `/products/:id`: a product's details, specs and related items. */
export default function ProductPage() {
  const { id = '' } = useParams<{ id: string }>();
  const productId = decodeURIComponent(id);
  const state = useAsync((signal) => fetchProduct(productId, signal), [productId]);

  if (state.status === 'loading') {
    return (
      <section className={ui.page}>
        <PageTitle title="Product">Loading product…</PageTitle>
        <p className={ui.muted}>
          <Spinner /> Loading…
        </p>
      </section>
    );
  }
  if (state.status === 'error') {
    return (
      <section className={ui.page}>
        <PageTitle title="Product not found">Product not available</PageTitle>
        <p className={ui.error}>{state.message}</p>
        <p>
          <Link href={CATALOG_PATH}>Back to the catalog</Link>
        </p>
      </section>
    );
  }
  const { product, brand, relatedItems } = state.data;
  const price = formatPrice(product.price);
  const doc = product.documentation;
  return (
    <article className={ui.page}>
      <nav aria-label="Breadcrumb" className={styles.breadcrumb}>
        <Link href={CATALOG_PATH}>Catalog</Link>
        {brand ? (
          <>
            {' / '}
            <Link href={brandPath(brand.id)}>{brand.name}</Link>
          </>
        ) : null}
      </nav>
      <div className={styles.hero}>
        <ProductThumb src={product.images?.main || productImage(product)} name={product.name} size="lg" />
        <div>
          <PageTitle title={product.name}>{product.name}</PageTitle>
          <p className={ui.muted}>
            {[brand?.name, product.category, product.family, product.production_country ? `Made in ${product.production_country}` : null]
              .filter(Boolean)
              .join(' · ')}
          </p>
          {price ? <p className={styles.price}>{price}</p> : null}
          {product.description ? <p>{product.description}</p> : null}
          <p className={styles.actions}>
            <Link href={askAboutPath(product.id)} className={`${ui.btn} ${ui.btnPrimary}`}>
              Ask about this product
            </Link>
            {doc?.url ? (
              <a href={doc.url} className={ui.btn} target="_blank" rel="noopener noreferrer">
                Open the manual{doc.type ? ` (${doc.type.toUpperCase()})` : ''}
                <span className={ui.visuallyHidden}> (opens in a new tab)</span>
              </a>
            ) : null}
          </p>
        </div>
      </div>
      {product.specs ? (
        <section aria-labelledby="specs-title">
          <h2 id="specs-title" className={ui.sectionTitle}>
            Specifications
          </h2>
          <Specs specs={product.specs} />
        </section>
      ) : null}
      {relatedItems.length > 0 ? <RelatedItems items={relatedItems} /> : null}
    </article>
  );
}
