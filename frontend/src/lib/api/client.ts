/**
 * The read-only HTTP routes of the contract (`/api/brands`, `/api/products/{id}`,
 * `/api/predict`), returning parsed objects. Errors are `ApiError`s with a message a person can
 * read, and the server's error code when its body was the contract's `{error: {code, message}}`.
 */
import { env } from '../../config/env';
import {
  parseBrand,
  parseBrandWithCount,
  parseErrorResponse,
  parsePredictions,
  parseProduct,
  parseRelatedItems,
  type Brand,
  type BrandWithCount,
  type HttpErrorCode,
  type Prediction,
  type Product,
  type RelatedItem,
} from '../protocol';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: HttpErrorCode | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** An HTTP error as an ApiError; the server's own words only where they help a person. */
export async function httpError(response: Response): Promise<ApiError> {
  let code: HttpErrorCode | null = null;
  let message = '';
  try {
    const error = parseErrorResponse(await response.json());
    code = error?.code ?? null;
    message = error?.message ?? '';
  } catch {
    // Not JSON (a proxy's page, say): the status is all there is.
  }
  const { status } = response;
  if (status === 404) return new ApiError('We could not find that in the catalog.', status, code);
  if (code === 'rate_limited' && message) return new ApiError(message, status, code);
  return new ApiError(`The support server answered with an error (${status}). Please try again.`, status, code);
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
  if (!response.ok) throw await httpError(response);
  try {
    return await response.json();
  } catch {
    throw new ApiError('The support server sent an answer we could not read.', response.status);
  }
}

const field = (data: unknown, key: string): unknown =>
  typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[key] : undefined;

export async function fetchBrands(signal?: AbortSignal): Promise<BrandWithCount[]> {
  const data = await getJson('/api/brands', signal);
  const brands = field(data, 'brands');
  return Array.isArray(brands) ? brands.map(parseBrandWithCount).filter((b): b is BrandWithCount => b !== null) : [];
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
