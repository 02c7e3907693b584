import { ProductThumb } from '../../../components/ProductThumb';
import { productImage, type Prediction } from '../../../lib/protocol';

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

export const optionId = (listId: string, index: number) => `${listId}-opt-${index}`;

/** The prediction cards: the listbox of the combobox (the input keeps focus; see Composer). */
export function PredictionList({ id, query, predictions, activeIndex, label, onPick, onHover }: Props) {
  return (
    <ul id={id} role="listbox" aria-label={label} className="predictions" data-query={query ?? undefined}>
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
            className={`prediction${active ? ' is-active' : ''}`}
            // mousedown, not click: keep the focus in the input
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => onPick(prediction)}
            onMouseMove={() => (active ? undefined : onHover(index))}
            data-product-id={product.id}
          >
            <ProductThumb src={productImage(product)} name={product.name} />
            <span className="prediction-text">
              <span className="prediction-brand">{brand}</span>
              <span className="prediction-name">{product.name}</span>
              {product.category ? <span className="prediction-category">{product.category}</span> : null}
            </span>
            <span className="confidence" aria-label={`${confidence}% match`}>
              <span className="confidence-bar" aria-hidden="true">
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
