import { useEffect, useId, useState } from 'react';
import { Link, useParams } from 'wouter';
import { PageTitle } from '../../../components/PageTitle';
import { ProductCard, ProductGrid } from '../../../components/ProductCard';
import { Spinner } from '../../../components/Spinner';
import ui from '../../../components/ui.module.css';
import { useConfig } from '../../../config/context';
import { plural, useI18n } from '../../../i18n';
import { errorText, fetchBrands, searchProducts } from '../../../lib/api/client';
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
  const { t } = useI18n();
  return (
    <nav aria-label={t('catalog.brands')}>
      <ul className={styles.brandList}>
        {brands.map((brand) => (
          <li key={brand.id}>
            <Link href={brandPath(brand.id)} className={styles.brandLink} aria-current={brand.id === selected ? 'page' : undefined}>
              <span>{brand.name}</span>
              <span className={styles.count} aria-label={t(plural('catalog.productCount', brand.product_count), { count: brand.product_count })}>
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
  const { t } = useI18n();
  const { apiBaseUrl } = useConfig();
  const q = query.trim() || brand?.name || '';
  const state = useAsync<Prediction[]>((signal) => (q ? searchProducts(apiBaseUrl, q, 50, signal) : Promise.resolve([])), [apiBaseUrl, q, brand?.id]);
  if (!q) return <p className={ui.muted}>{t('catalog.pickBrand')}</p>;
  if (state.status === 'loading')
    return (
      <p className={ui.muted}>
        <Spinner /> {t('catalog.loadingProducts')}
      </p>
    );
  if (state.status === 'error') return <p className={ui.error}>{errorText(state.error, t)}</p>;
  // Browsing a brand without a search: only that brand's products.
  const items = brand && !query.trim() ? state.data.filter((p) => p.product.brand === brand.id) : state.data;
  if (items.length === 0) return <p className={ui.muted}>{t('catalog.noProducts')}</p>;
  return (
    <>
      <p className={`${ui.muted} ${ui.small}`} aria-live="polite">
        {t(plural('catalog.productCount', items.length), { count: items.length })}
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
  const { t } = useI18n();
  const { apiBaseUrl } = useConfig();
  const brands = useAsync((signal) => fetchBrands(apiBaseUrl, signal), [apiBaseUrl]);
  const [search, setSearch] = useState('');
  const query = useDebounced(search, 250);
  const searchId = useId();
  const brand = brands.status === 'ok' ? brands.data.find((b) => b.id === brandId) : undefined;

  return (
    <section className={ui.page}>
      <PageTitle title={brand ? t('catalog.brandProducts', { brand: brand.name }) : t('catalog.title')}>
        {brand ? <bdi>{brand.name}</bdi> : t('catalog.heading')}
      </PageTitle>
      {brand ? (
        <p className={ui.muted}>
          {[brand.hq, brand.founded ? t('catalog.founded', { year: brand.founded }) : ''].filter(Boolean).join(' · ')}
          {brand.description ? <span className={ui.block}>{brand.description}</span> : null}
        </p>
      ) : null}
      <div className={styles.layout}>
        <div>
          <h2 className={ui.sectionTitle}>{t('catalog.brands')}</h2>
          {brands.status === 'loading' ? (
            <p className={ui.muted}>
              <Spinner /> {t('catalog.loadingBrands')}
            </p>
          ) : brands.status === 'error' ? (
            <p className={ui.error}>{errorText(brands.error, t)}</p>
          ) : (
            <BrandList brands={brands.data} selected={brandId} />
          )}
          {brandId ? (
            <p>
              <Link href={CATALOG_PATH}>{t('catalog.allBrands')}</Link>
            </p>
          ) : null}
        </div>
        <div>
          <label htmlFor={searchId} className={ui.fieldLabel}>
            {t('catalog.searchLabel')}
          </label>
          <input
            id={searchId}
            type="search"
            className={ui.textInput}
            value={search}
            placeholder={t('catalog.searchPlaceholder')}
            onChange={(event) => setSearch(event.target.value)}
          />
          <h2 className={ui.sectionTitle}>
            {query.trim() ? t('catalog.searchResults') : brand ? t('catalog.brandProducts', { brand: brand.name }) : t('catalog.products')}
          </h2>
          <Results query={query} brand={brand} />
        </div>
      </div>
    </section>
  );
}
