import { Link, useParams } from 'wouter';
import { PageTitle } from '../../../components/PageTitle';
import { ProductThumb } from '../../../components/ProductThumb';
import { Spinner } from '../../../components/Spinner';
import { fetchProduct } from '../../../lib/api/client';
import { useAsync } from '../../../lib/hooks/useAsync';
import { asText, productImage, type RelatedItem } from '../../../lib/protocol';
import { askAboutPath, brandPath, CATALOG_PATH, productPath } from '../../../lib/routes';
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
          <h2 id={`rel-${type}`} className="section-title">
            {TYPE_LABELS[type] ?? 'Related'}
          </h2>
          <ul className="product-grid">
            {list.map((item) => (
              <li key={item.id}>
                <Link href={productPath(item.id)} className="product-card">
                  <ProductThumb src={item.image} name={item.name} />
                  <span className="product-card-text">
                    <span className="prediction-name">{item.name}</span>
                    {item.label || item.category ? <span className="prediction-category">{item.label || item.category}</span> : null}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
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
      <section className="page">
        <PageTitle title="Product">Loading product…</PageTitle>
        <p className="muted">
          <Spinner /> Loading…
        </p>
      </section>
    );
  }
  if (state.status === 'error') {
    return (
      <section className="page">
        <PageTitle title="Product not found">Product not available</PageTitle>
        <p className="answer-error">{state.message}</p>
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
    <article className="page product-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link href={CATALOG_PATH}>Catalog</Link>
        {brand ? (
          <>
            {' / '}
            <Link href={brandPath(brand.id)}>{brand.name}</Link>
          </>
        ) : null}
      </nav>
      <div className="product-hero">
        <ProductThumb src={product.images?.main || productImage(product)} name={product.name} size="lg" />
        <div>
          <PageTitle title={product.name}>{product.name}</PageTitle>
          <p className="muted">
            {[brand?.name, product.category, product.family, product.production_country ? `Made in ${product.production_country}` : null]
              .filter(Boolean)
              .join(' · ')}
          </p>
          {price ? <p className="price">{price}</p> : null}
          {product.description ? <p>{product.description}</p> : null}
          <p className="actions">
            <Link href={askAboutPath(product.id)} className="btn btn-primary">
              Ask about this product
            </Link>
            {doc?.url ? (
              <a href={doc.url} className="btn" target="_blank" rel="noopener noreferrer">
                Open the manual{doc.type ? ` (${doc.type.toUpperCase()})` : ''}
                <span className="visually-hidden"> (opens in a new tab)</span>
              </a>
            ) : null}
          </p>
        </div>
      </div>
      {product.specs ? (
        <section aria-labelledby="specs-title">
          <h2 id="specs-title" className="section-title">
            Specifications
          </h2>
          <Specs specs={product.specs} />
        </section>
      ) : null}
      {relatedItems.length > 0 ? <RelatedItems items={relatedItems} /> : null}
    </article>
  );
}
