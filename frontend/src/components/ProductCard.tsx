import { Link } from 'wouter';
import { productImage, type Product } from '../lib/protocol';
import { productPath } from '../lib/routes';
import { ProductThumb } from './ProductThumb';

/** A catalog product as a link to its page. */
export function ProductCard({ product, brandName, note }: { product: Product; brandName?: string | null; note?: string | null }) {
  return (
    <Link href={productPath(product.id)} className="product-card">
      <ProductThumb src={productImage(product)} name={product.name} />
      <span className="product-card-text">
        {brandName ? <span className="prediction-brand">{brandName}</span> : null}
        <span className="prediction-name">{product.name}</span>
        {product.category ? <span className="prediction-category">{product.category}</span> : null}
        {note ? <span className="muted small">{note}</span> : null}
      </span>
    </Link>
  );
}
