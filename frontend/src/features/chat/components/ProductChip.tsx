import { ProductThumb } from '../../../components/ProductThumb';
import ui from '../../../components/ui.module.css';
import { useI18n } from '../../../i18n';
import { productImage } from '../../../lib/protocol';
import type { LockedProduct } from '../model/chat-controller';
import styles from './ProductChip.module.css';

interface Props {
  locked: LockedProduct;
  onRemove: () => void;
}

/** The product the questions are about, with a button to pick another one. */
export function ProductChip({ locked, onRemove }: Props) {
  const { t } = useI18n();
  const { product, brand } = locked;
  return (
    <div className={styles.chip} data-testid="product-chip">
      <ProductThumb src={productImage(product)} name={product.name} size="sm" round />
      <span className={styles.text}>
        <span className={styles.label}>{t('chip.askingAbout')}</span>
        <strong>
          <bdi>{product.name}</bdi>
        </strong>
        {brand?.name ? (
          <span className={ui.muted}>
            {' · '}
            <bdi>{brand.name}</bdi>
          </span>
        ) : null}
      </span>
      <button type="button" className={styles.remove} onClick={onRemove} aria-label={t('chip.remove', { name: product.name })}>
        <span aria-hidden="true">×</span>
      </button>
    </div>
  );
}
