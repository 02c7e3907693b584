/**
 * The read-only HTTP routes of the contract (`/api/brands`, `/api/products/{id}`,
 * `/api/predict`), returning parsed objects. Errors are `ApiError`s with a message a person can read.
 */
import { env } from '../../config/env';
import {
  parseBrand,
  parsePredictions,
  parseProduct,
  parseRelatedItems,
  type Brand,
  type Prediction,
  type Product,
  type RelatedItem,
} from '../protocol';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ProductDetails {
  product: Product;
  brand: Brand | null;
  relatedItems: RelatedItem[];
}

async function getJson(path: string, signal?: AbortSignal): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${env.apiBaseUrl}${path}`, { signal, headers: { Accept: 'application/json' } });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError('The support server cannot be reached. Check your connection and try again.', 0);
  }
  if (response.status === 404) throw new ApiError('We could not find that in the catalog.', 404);
  if (!response.ok) throw new ApiError(`The support server answered with an error (${response.status}). Please try again.`, response.status);
  try {
    return await response.json();
  } catch {
    throw new ApiError('The support server sent an answer we could not read.', response.status);
  }
}

const field = (data: unknown, key: string): unknown =>
  typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[key] : undefined;

export async function fetchBrands(signal?: AbortSignal): Promise<Brand[]> {
  const data = await getJson('/api/brands', signal);
  const brands = field(data, 'brands');
  return Array.isArray(brands) ? brands.map(parseBrand).filter((b): b is Brand => b !== null) : [];
}

export async function fetchProduct(id: string, signal?: AbortSignal): Promise<ProductDetails> {
  const data = await getJson(`/api/products/${encodeURIComponent(id)}`, signal);
  const product = parseProduct(field(data, 'product'));
  if (!product) throw new ApiError('The catalog entry for this product is incomplete.', 200);
  return {
    product,
    brand: parseBrand(field(data, 'brand')) ?? product.brand_identity ?? null,
    relatedItems: parseRelatedItems(field(field(data, 'context'), 'related_items')),
  };
}

export async function searchProducts(q: string, limit = 50, signal?: AbortSignal): Promise<Prediction[]> {
  const params = new URLSearchParams({ q, limit: String(limit) });
  const data = await getJson(`/api/predict?${params.toString()}`, signal);
  return parsePredictions(field(data, 'predictions'));
}
