import { useEffect, useId, useState } from 'react';
import { Link, useParams } from 'wouter';
import { PageTitle } from '../../../components/PageTitle';
import { ProductCard, ProductGrid } from '../../../components/ProductCard';
import { Spinner } from '../../../components/Spinner';
import ui from '../../../components/ui.module.css';
import { fetchBrands, searchProducts } from '../../../lib/api/client';
import { useAsync } from '../../../lib/hooks/useAsync';
import { productImage, type Brand, type BrandWithCount, type Prediction } from '../../../lib/protocol';
import { brandPath, CATALOG_PATH } from '../../../lib/routes';
import styles from './CatalogPage.module.css';

function useDebounced<T>(value: T, ms: number): T {
  const [current, setCurrent] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setCurrent(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return current;
}

function BrandList({ brands, selected }: { brands: BrandWithCount[]; selected: string | undefined }) {
  return (
    <nav aria-label="Brands">
      <ul className={styles.brandList}>
        {brands.map((brand) => (
          <li key={brand.id}>
            <Link href={brandPath(brand.id)} className={styles.brandLink} aria-current={brand.id === selected ? 'page' : undefined}>
              <span>{brand.name}</span>
              <span className={styles.count} aria-label={`${brand.product_count} products`}>
                {brand.product_count}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Results({ query, brand }: { query: string; brand: Brand | undefined }) {
  const q = query.trim() || brand?.name || '';
  const state = useAsync<Prediction[]>((signal) => (q ? searchProducts(q, 50, signal) : Promise.resolve([])), [q, brand?.id]);
  if (!q) return <p className={ui.muted}>Pick a brand or search the catalog.</p>;
  if (state.status === 'loading')
    return (
      <p className={ui.muted}>
        <Spinner /> Loading products…
      </p>
    );
  if (state.status === 'error') return <p className={ui.error}>{state.message}</p>;
  // Browsing a brand without a search: only that brand's products.
  const items = brand && !query.trim() ? state.data.filter((p) => p.product.brand === brand.id) : state.data;
  if (items.length === 0) return <p className={ui.muted}>No products found.</p>;
  return (
    <>
      <p className={`${ui.muted} ${ui.small}`} aria-live="polite">
        {items.length} product{items.length === 1 ? '' : 's'}
      </p>
      <ProductGrid>
        {items.map((p) => (
          <li key={p.product.id}>
            <ProductCard id={p.product.id} image={productImage(p.product)} brand={p.brand?.name} name={p.product.name} detail={p.product.category} />
          </li>
        ))}
      </ProductGrid>
    </>
  );
}

/** Brands and their products (`/brands`, `/brands/:brandId`), with a catalog search. */
export default function CatalogPage() {
  const params = useParams<{ brandId?: string }>();
  const brandId = params.brandId ? decodeURIComponent(params.brandId) : undefined;
  const brands = useAsync(fetchBrands, []);
  const [search, setSearch] = useState('');
  const query = useDebounced(search, 250);
  const searchId = useId();
  const brand = brands.status === 'ok' ? brands.data.find((b) => b.id === brandId) : undefined;

  return (
    <section className={ui.page}>
      <PageTitle title={brand ? `${brand.name} products` : 'Catalog'}>{brand ? brand.name : 'Brands & catalog'}</PageTitle>
      {brand ? (
        <p className={ui.muted}>
          {[brand.hq, brand.founded ? `founded ${brand.founded}` : ''].filter(Boolean).join(' · ')}
          {brand.description ? <span className={ui.block}>{brand.description}</span> : null}
        </p>
      ) : null}
      <div className={styles.layout}>
        <div>
          <h2 className={ui.sectionTitle}>Brands</h2>
          {brands.status === 'loading' ? (
            <p className={ui.muted}>
              <Spinner /> Loading brands…
            </p>
          ) : brands.status === 'error' ? (
            <p className={ui.error}>{brands.message}</p>
          ) : (
            <BrandList brands={brands.data} selected={brandId} />
          )}
          {brandId ? (
            <p>
              <Link href={CATALOG_PATH}>All brands</Link>
            </p>
          ) : null}
        </div>
        <div>
          <label htmlFor={searchId} className={ui.fieldLabel}>
            Search the catalog
          </label>
          <input
            id={searchId}
            type="search"
            className={ui.textInput}
            value={search}
            placeholder="Product name or model, e.g. fp30x"
            onChange={(event) => setSearch(event.target.value)}
          />
          <h2 className={ui.sectionTitle}>{query.trim() ? 'Search results' : brand ? `${brand.name} products` : 'Products'}</h2>
          <Results query={query} brand={brand} />
        </div>
      </div>
    </section>
  );
}
