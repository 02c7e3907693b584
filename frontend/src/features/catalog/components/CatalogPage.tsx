import { useEffect, useId, useState } from 'react';
import { Link, useParams } from 'wouter';
import { PageTitle } from '../../../components/PageTitle';
import { ProductCard } from '../../../components/ProductCard';
import { Spinner } from '../../../components/Spinner';
import { fetchBrands, searchProducts } from '../../../lib/api/client';
import { useAsync } from '../../../lib/hooks/useAsync';
import type { Brand, BrandWithCount, Prediction } from '../../../lib/protocol';
import { brandPath, CATALOG_PATH } from '../../../lib/routes';

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
      <ul className="brand-list">
        {brands.map((brand) => (
          <li key={brand.id}>
            <Link href={brandPath(brand.id)} className="brand-link" aria-current={brand.id === selected ? 'page' : undefined}>
              <span className="brand-name">{brand.name}</span>
              <span className="badge" aria-label={`${brand.product_count} products`}>
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
  if (!q) return <p className="muted">Pick a brand or search the catalog.</p>;
  if (state.status === 'loading')
    return (
      <p className="muted">
        <Spinner /> Loading products…
      </p>
    );
  if (state.status === 'error') return <p className="answer-error">{state.message}</p>;
  // Browsing a brand without a search: only that brand's products.
  const items = brand && !query.trim() ? state.data.filter((p) => p.product.brand === brand.id) : state.data;
  if (items.length === 0) return <p className="muted">No products found.</p>;
  return (
    <>
      <p className="muted small" aria-live="polite">
        {items.length} product{items.length === 1 ? '' : 's'}
      </p>
      <ul className="product-grid">
        {items.map((p) => (
          <li key={p.product.id}>
            <ProductCard product={p.product} brandName={p.brand?.name} />
          </li>
        ))}
      </ul>
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
    <section className="page catalog">
      <PageTitle title={brand ? `${brand.name} products` : 'Catalog'}>{brand ? brand.name : 'Brands & catalog'}</PageTitle>
      {brand ? (
        <p className="muted">
          {[brand.hq, brand.founded ? `founded ${brand.founded}` : ''].filter(Boolean).join(' · ')}
          {brand.description ? <span className="block">{brand.description}</span> : null}
        </p>
      ) : null}
      <div className="catalog-layout">
        <div>
          <h2 className="section-title">Brands</h2>
          {brands.status === 'loading' ? (
            <p className="muted">
              <Spinner /> Loading brands…
            </p>
          ) : brands.status === 'error' ? (
            <p className="answer-error">{brands.message}</p>
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
          <label htmlFor={searchId} className="field-label">
            Search the catalog
          </label>
          <input
            id={searchId}
            type="search"
            className="text-input"
            value={search}
            placeholder="Product name or model, e.g. fp30x"
            onChange={(event) => setSearch(event.target.value)}
          />
          <h2 className="section-title">{query.trim() ? 'Search results' : brand ? `${brand.name} products` : 'Products'}</h2>
          <Results query={query} brand={brand} />
        </div>
      </div>
    </section>
  );
}
