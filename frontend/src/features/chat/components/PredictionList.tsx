import { ProductSummary } from '../../../components/ProductCard';
import { ProductThumb } from '../../../components/ProductThumb';
import { useI18n } from '../../../i18n';
import { productImage, type Prediction } from '../../../lib/protocol';
import { optionId } from './option-id';
import styles from './PredictionList.module.css';

interface Props {
  id: string;
  /** The text these predictions answer (for tests and styling). */
  query: string | null;
  predictions: Prediction[];
  activeIndex: number;
  label: string;
  onPick: (prediction: Prediction) => void;
  onHover: (index: number) => void;
}

/** The prediction cards: the listbox of the combobox (the input keeps focus; see Composer). */
export function PredictionList({ id, query, predictions, activeIndex, label, onPick, onHover }: Props) {
  const { t } = useI18n();
  return (
    <ul id={id} role="listbox" aria-label={label} className={styles.predictions} data-query={query ?? undefined}>
      {predictions.map((prediction, index) => {
        const { product } = prediction;
        const brand = prediction.brand?.name || product.brand_identity?.name || product.brand;
        const confidence = Math.round(prediction.confidence);
        const active = index === activeIndex;
        return (
          <li
            key={product.id}
            id={optionId(id, index)}
            role="option"
            aria-selected={active}
            className={active ? `${styles.prediction} ${styles.active}` : styles.prediction}
            // mousedown, not click: keep the focus in the input
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => onPick(prediction)}
            onMouseMove={() => (active ? undefined : onHover(index))}
            data-product-id={product.id}
          >
            <ProductThumb src={productImage(product)} name={product.name} />
            <ProductSummary brand={brand} name={product.name} detail={product.category} />
            <span className={styles.confidence} aria-label={t('prediction.match', { confidence })}>
              <span className={styles.confidenceBar} aria-hidden="true">
                <span style={{ width: `${confidence}%` }} />
              </span>
              <span aria-hidden="true">{confidence}%</span>
            </span>
          </li>
        );
      })}
    </ul>
  );
}
