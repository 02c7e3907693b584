/**
 * The wire contract (shared/PROTOCOL.md) as TypeScript types, and a lenient parser for what the
 * server sends. Parsing never throws: a frame that is not valid JSON or not a known message is
 * dropped (returns null), so nothing raw ever reaches the screen.
 */

export type Scenario = 'general' | 'studio' | 'live';
export const SCENARIOS: readonly Scenario[] = ['general', 'studio', 'live'];

export interface Brand {
  id: string;
  name: string;
  hq: string;
  founded?: number | string | null;
  website?: string | null;
  logo_url?: string | null;
  description?: string | null;
  product_count?: number;
}

export interface RelatedItem {
  id: string;
  name: string;
  category?: string | null;
  type?: string | null;
  label?: string | null;
  image?: string | null;
  production_country?: string | null;
}

export interface Product {
  id: string;
  name: string;
  brand: string;
  category?: string | null;
  description?: string | null;
  production_country?: string | null;
  images?: { main?: string | null; thumbnail?: string | null } | null;
  documentation?: { type?: string | null; url?: string | null; backup_url?: string | null } | null;
  brand_identity?: Brand | null;
  price?: number | string | null;
  specs?: unknown;
  family?: string | null;
  sku?: string | null;
  [extra: string]: unknown;
}

export interface Prediction {
  product: Product;
  brand: Brand | null;
  context: { related_items: RelatedItem[] };
  confidence: number;
  match_text?: string | null;
}

export interface Source {
  page: number | null;
  url: string;
  title: string;
}

export type ClientFrame =
  | { type: 'typing'; content: string; seq: number; limit?: number }
  | { type: 'query'; product_id: string; query: string; scenario: Scenario; seq: number }
  | { type: 'ping'; seq: number };

export type ServerMessage =
  | { type: 'prediction'; data: Prediction[]; seq: number | null; query: string }
  | { type: 'status'; msg: string }
  | { type: 'answer_chunk'; content: string }
  | {
      type: 'context';
      data: { brand: Brand | null; related_items: RelatedItem[]; scenario: string | null; sources: Source[] };
    }
  | {
      type: 'final_answer';
      content: string;
      sources: Source[];
      provider: string | null;
      cached: boolean;
      found: boolean;
      seq: number | null;
    }
  | { type: 'error'; message: string; code: string; seq: number | null }
  | { type: 'pong'; seq: number | null };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A text field as text: strings pass, numbers are printed, anything else is empty. */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return '';
}

const optText = (value: unknown): string | null => {
  const text = asText(value);
  return text === '' ? null : text;
};

const asSeq = (value: unknown): number | null =>
  typeof value === 'number' && Number.isInteger(value) ? value : null;

export function parseBrand(value: unknown): Brand | null {
  if (!isObject(value)) return null;
  const id = asText(value.id);
  const name = asText(value.name);
  if (!id && !name) return null;
  return {
    id,
    name: name || id,
    hq: asText(value.hq),
    founded: typeof value.founded === 'number' ? value.founded : optText(value.founded),
    website: optText(value.website),
    logo_url: optText(value.logo_url),
    description: optText(value.description),
    ...(typeof value.product_count === 'number' ? { product_count: value.product_count } : {}),
  };
}

export function parseRelatedItem(value: unknown): RelatedItem | null {
  if (!isObject(value)) return null;
  const id = asText(value.id);
  const name = asText(value.name);
  if (!id || !name) return null;
  return {
    id,
    name,
    category: optText(value.category),
    type: optText(value.type),
    label: optText(value.label),
    image: optText(value.image),
    production_country: optText(value.production_country),
  };
}

export const parseRelatedItems = (value: unknown): RelatedItem[] =>
  Array.isArray(value) ? value.map(parseRelatedItem).filter((x): x is RelatedItem => x !== null) : [];

export function parseProduct(value: unknown): Product | null {
  if (!isObject(value)) return null;
  const id = asText(value.id);
  const name = asText(value.name);
  if (!id || !name) return null;
  const images = isObject(value.images)
    ? { main: optText(value.images.main), thumbnail: optText(value.images.thumbnail) }
    : null;
  const documentation = isObject(value.documentation)
    ? {
        type: optText(value.documentation.type),
        url: optText(value.documentation.url),
        backup_url: optText(value.documentation.backup_url),
      }
    : null;
  return {
    ...value,
    id,
    name,
    brand: asText(value.brand),
    category: optText(value.category),
    description: optText(value.description),
    production_country: optText(value.production_country),
    images,
    documentation,
    brand_identity: parseBrand(value.brand_identity),
    price: typeof value.price === 'number' ? value.price : optText(value.price),
    family: optText(value.family),
    sku: optText(value.sku),
  };
}

export function parsePrediction(value: unknown): Prediction | null {
  if (!isObject(value)) return null;
  const product = parseProduct(value.product);
  if (!product) return null;
  const confidence = typeof value.confidence === 'number' ? value.confidence : 0;
  return {
    product,
    brand: parseBrand(value.brand) ?? product.brand_identity ?? null,
    context: { related_items: parseRelatedItems(isObject(value.context) ? value.context.related_items : null) },
    confidence: Math.max(0, Math.min(100, confidence)),
    match_text: optText(value.match_text),
  };
}

export const parsePredictions = (value: unknown): Prediction[] =>
  Array.isArray(value) ? value.map(parsePrediction).filter((x): x is Prediction => x !== null) : [];

export function parseSources(value: unknown): Source[] {
  if (!Array.isArray(value)) return [];
  const out: Source[] = [];
  for (const item of value) {
    if (!isObject(item)) continue;
    const url = asText(item.url);
    if (!url) continue;
    const page = typeof item.page === 'number' && Number.isFinite(item.page) ? item.page : null;
    out.push({ page, url, title: asText(item.title) });
  }
  return out;
}

/** One server frame, or null when it is not JSON or not a message of the contract. */
export function parseServerMessage(raw: unknown): ServerMessage | null {
  if (typeof raw !== 'string') return null;
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return null;
  }
  return toServerMessage(data);
}

export function toServerMessage(data: unknown): ServerMessage | null {
  if (!isObject(data)) return null;
  switch (data.type) {
    case 'prediction':
      return { type: 'prediction', data: parsePredictions(data.data), seq: asSeq(data.seq), query: asText(data.query) };
    case 'status':
      return { type: 'status', msg: asText(data.msg) };
    case 'answer_chunk':
      return { type: 'answer_chunk', content: asText(data.content) };
    case 'context': {
      const body = isObject(data.data) ? data.data : {};
      return {
        type: 'context',
        data: {
          brand: parseBrand(body.brand),
          related_items: parseRelatedItems(body.related_items),
          scenario: optText(body.scenario),
          sources: parseSources(body.sources),
        },
      };
    }
    case 'final_answer':
      return {
        type: 'final_answer',
        content: asText(data.content),
        sources: parseSources(data.sources),
        provider: optText(data.provider),
        cached: data.cached === true,
        found: data.found !== false,
        seq: asSeq(data.seq),
      };
    case 'error':
      return {
        type: 'error',
        message: asText(data.message) || 'Something went wrong.',
        code: asText(data.code) || 'internal',
        seq: asSeq(data.seq),
      };
    case 'pong':
      return { type: 'pong', seq: asSeq(data.seq) };
    default:
      return null;
  }
}

/** The picture of a product, if the catalog has one. */
export const productImage = (product: Product): string | null =>
  product.images?.thumbnail || product.images?.main || null;
