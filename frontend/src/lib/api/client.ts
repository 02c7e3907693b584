/**
 * The read-only HTTP routes of the contract (`/api/brands`, `/api/products/{id}`,
 * `/api/predict`), returning parsed objects. Each takes the server's base URL first ('' = the
 * page's own origin; the widget passes its `data-server`). Errors are `ApiError`s with words a
 * person can read in either language (`errorText`), and the server's error code when its body
 * was the contract's `{error: {code, message}}`.
 */
import { translate, type Translate } from '../../i18n/translate';
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

/** What to tell a person: a message of the catalog, or the server's own (already readable) words. */
export type ApiErrorText =
  | { key: 'api.notFound' | 'api.unreachable' | 'api.unreadable' | 'api.incomplete' }
  | { key: 'api.serverError'; status: number }
  | { server: string };

const englishOf = (text: ApiErrorText): string =>
  'server' in text ? text.server : text.key === 'api.serverError' ? translate('en', text.key, { status: text.status }) : translate('en', text.key);

export class ApiError extends Error {
  constructor(
    readonly text: ApiErrorText,
    readonly status: number,
    readonly code: HttpErrorCode | null = null,
  ) {
    super(englishOf(text));
    this.name = 'ApiError';
  }
}

/** The words for any error of a request, in the reader's language. */
export function errorText(error: unknown, t: Translate): string {
  if (!(error instanceof ApiError)) return t('common.somethingWrong');
  const { text } = error;
  if ('server' in text) return text.server;
  return text.key === 'api.serverError' ? t(text.key, { status: text.status }) : t(text.key);
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
  if (status === 404) return new ApiError({ key: 'api.notFound' }, status, code);
  if (code === 'rate_limited' && message) return new ApiError({ server: message }, status, code);
  return new ApiError({ key: 'api.serverError', status }, status, code);
}

export interface ProductDetails {
  product: Product;
  brand: Brand | null;
  relatedItems: RelatedItem[];
}

/** `base` is '' (same origin) or `https://host[:port]` without a trailing slash. */
async function getJson(base: string, path: string, signal?: AbortSignal): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, { signal, headers: { Accept: 'application/json' } });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({ key: 'api.unreachable' }, 0);
  }
  if (!response.ok) throw await httpError(response);
  try {
    return await response.json();
  } catch {
    throw new ApiError({ key: 'api.unreadable' }, response.status);
  }
}

const field = (data: unknown, key: string): unknown =>
  typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[key] : undefined;

export async function fetchBrands(base: string, signal?: AbortSignal): Promise<BrandWithCount[]> {
  const data = await getJson(base, '/api/brands', signal);
  const brands = field(data, 'brands');
  return Array.isArray(brands) ? brands.map(parseBrandWithCount).filter((b): b is BrandWithCount => b !== null) : [];
}

export async function fetchProduct(base: string, id: string, signal?: AbortSignal): Promise<ProductDetails> {
  const data = await getJson(base, `/api/products/${encodeURIComponent(id)}`, signal);
  const product = parseProduct(field(data, 'product'));
  if (!product) throw new ApiError({ key: 'api.incomplete' }, 200);
  return {
    product,
    brand: parseBrand(field(data, 'brand')) ?? product.brand_identity ?? null,
    relatedItems: parseRelatedItems(field(field(data, 'context'), 'related_items')),
  };
}

export async function searchProducts(base: string, q: string, limit = 50, signal?: AbortSignal): Promise<Prediction[]> {
  const params = new URLSearchParams({ q, limit: String(limit) });
  const data = await getJson(base, `/api/predict?${params.toString()}`, signal);
  return parsePredictions(field(data, 'predictions'));
}
