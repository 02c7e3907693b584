import { Link, useParams } from 'wouter';
import { PageTitle } from '../../../components/PageTitle';
import { ProductCard, ProductGrid } from '../../../components/ProductCard';
import { ProductThumb } from '../../../components/ProductThumb';
import { Spinner } from '../../../components/Spinner';
import ui from '../../../components/ui.module.css';
import { useConfig } from '../../../config/context';
import { useI18n, type Lang, type SimpleKey } from '../../../i18n';
import { errorText, fetchProduct } from '../../../lib/api/client';
import { useAsync } from '../../../lib/hooks/useAsync';
import { asText, productImage, type RelatedItem } from '../../../lib/protocol';
import { askAboutPath, brandPath, CATALOG_PATH } from '../../../lib/routes';
import styles from './ProductPage.module.css';
import { Specs } from './Specs';

const TYPE_LABELS: Record<string, SimpleKey> = {
  accessory: 'product.related.accessory',
  related: 'product.related.related',
  spare_part: 'product.related.spare_part',
};

const LOCALES: Record<Lang, string> = { en: 'en-US', he: 'he-IL' };

function formatPrice(price: unknown, lang: Lang): string | null {
  if (typeof price === 'number' && Number.isFinite(price)) {
    return new Intl.NumberFormat(LOCALES[lang], { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(price);
  }
  return asText(price) || null;
}

function RelatedItems({ items }: { items: RelatedItem[] }) {
  const { t } = useI18n();
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
            {t(TYPE_LABELS[type] ?? 'product.related.other')}
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
  const { t, lang } = useI18n();
  const { apiBaseUrl } = useConfig();
  const state = useAsync((signal) => fetchProduct(apiBaseUrl, productId, signal), [apiBaseUrl, productId]);

  if (state.status === 'loading') {
    return (
      <section className={ui.page}>
        <PageTitle title={t('product.title')}>{t('product.loading')}</PageTitle>
        <p className={ui.muted}>
          <Spinner /> {t('common.loading')}
        </p>
      </section>
    );
  }
  if (state.status === 'error') {
    return (
      <section className={ui.page}>
        <PageTitle title={t('product.notFoundTitle')}>{t('product.notAvailable')}</PageTitle>
        <p className={ui.error}>{errorText(state.error, t)}</p>
        <p>
          <Link href={CATALOG_PATH}>{t('product.backToCatalog')}</Link>
        </p>
      </section>
    );
  }
  const { product, brand, relatedItems } = state.data;
  const price = formatPrice(product.price, lang);
  const doc = product.documentation;
  return (
    <article className={ui.page}>
      <nav aria-label={t('product.breadcrumb')} className={styles.breadcrumb}>
        <Link href={CATALOG_PATH}>{t('catalog.title')}</Link>
        {brand ? (
          <>
            {' / '}
            <Link href={brandPath(brand.id)}>
              <bdi>{brand.name}</bdi>
            </Link>
          </>
        ) : null}
      </nav>
      <div className={styles.hero}>
        <ProductThumb src={product.images?.main || productImage(product)} name={product.name} size="lg" />
        <div>
          <PageTitle title={product.name}>
            <bdi>{product.name}</bdi>
          </PageTitle>
          <p className={ui.muted}>
            {[brand?.name, product.category, product.family, product.production_country ? t('product.madeIn', { country: product.production_country }) : null]
              .filter(Boolean)
              .join(' · ')}
          </p>
          {price ? <p className={styles.price}>{price}</p> : null}
          {product.description ? <p>{product.description}</p> : null}
          <p className={styles.actions}>
            <Link href={askAboutPath(product.id)} className={`${ui.btn} ${ui.btnPrimary}`}>
              {t('product.ask')}
            </Link>
            {doc?.url ? (
              <a href={doc.url} className={ui.btn} target="_blank" rel="noopener noreferrer">
                {doc.type ? t('product.openManualType', { type: doc.type.toUpperCase() }) : t('product.openManual')}
                <span className={ui.visuallyHidden}> {t('common.opensInNewTab')}</span>
              </a>
            ) : null}
          </p>
        </div>
      </div>
      {product.specs ? (
        <section aria-labelledby="specs-title">
          <h2 id="specs-title" className={ui.sectionTitle}>
            {t('product.specs')}
          </h2>
          <Specs specs={product.specs} />
        </section>
      ) : null}
      {relatedItems.length > 0 ? <RelatedItems items={relatedItems} /> : null}
    </article>
  );
}
