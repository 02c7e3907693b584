import { ProductThumb } from '../../../components/ProductThumb';
import { productImage } from '../../../lib/protocol';
import type { LockedProduct } from '../model/chat-controller';

interface Props {
  locked: LockedProduct;
  onRemove: () => void;
}

/** The product the questions are about, with a button to pick another one. */
export function ProductChip({ locked, onRemove }: Props) {
  const { product, brand } = locked;
  return (
    <div className="product-chip" data-testid="product-chip">
      <ProductThumb src={productImage(product)} name={product.name} size="sm" />
      <span className="product-chip-text">
        <span className="product-chip-label">Asking about</span>
        <strong>{product.name}</strong>
        {brand?.name ? <span className="muted"> · {brand.name}</span> : null}
      </span>
      <button type="button" className="chip-remove" onClick={onRemove} aria-label={`Remove ${product.name} and pick another product`}>
        <span aria-hidden="true">×</span>
      </button>
    </div>
  );
}
