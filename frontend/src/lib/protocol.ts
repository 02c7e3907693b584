/**
 * The wire contract's types, generated from the server's models (protocol.generated.ts, made by
 * `npm run gen:protocol` from protocol.schema.json), and a lenient parser for what the server
 * sends. Parsing never throws: a frame that is not valid JSON or not a known message is dropped
 * (returns null), and a field the contract requires but the frame lacks gets a harmless default,
 * so nothing raw ever reaches the screen.
 */
import type {
  AskBody,
  Brand,
  BrandWithCount,
  ErrorInfo,
  ErrorMessage,
  Prediction,
  Product,
  RelatedItem,
  ServerMessage,
  Source,
} from './protocol.generated';

export type * from './protocol.generated';

export type Scenario = NonNullable<AskBody['scenario']>;
export type ErrorCode = ErrorMessage['code'];
export type HttpErrorCode = ErrorInfo['code'];

// The values of the contract's string unions, for checking what arrives. A Record needs every
// member of the generated union and refuses any other, so these cannot drift from the schema.
const SCENARIO_NAMES: Record<Scenario, true> = { general: true, studio: true, live: true };
const RELATION_TYPES: Record<RelatedItem['type'], true> = { accessory: true, related: true, spare_part: true };
const ERROR_CODES: Record<ErrorCode, true> = {
  invalid_json: true,
  invalid_message: true,
  unknown_type: true,
  product_not_found: true,
  document_unavailable: true,
  rate_limited: true,
  too_large: true,
  provider_error: true,
  not_found: true,
  internal: true,
};

const memberOf =
  <T extends string>(members: Record<T, true>) =>
  (value: unknown): value is T =>
    typeof value === 'string' && Object.hasOwn(members, value);

export const SCENARIOS = Object.keys(SCENARIO_NAMES) as Scenario[];
export const isScenario = memberOf(SCENARIO_NAMES);
const isRelationType = memberOf(RELATION_TYPES);
const isErrorCode = memberOf(ERROR_CODES);
const isHttpErrorCode = memberOf<HttpErrorCode>({
  ...ERROR_CODES,
  invalid_request: true,
  unauthorized: true,
  method_not_allowed: true,
  unavailable: true,
});

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
    founded: optText(value.founded),
    website: optText(value.website),
    logo_url: optText(value.logo_url),
    description: optText(value.description),
  };
}

/** A brand of `GET /api/brands`, with its number of products (0 when the server gave none). */
export function parseBrandWithCount(value: unknown): BrandWithCount | null {
  const brand = parseBrand(value);
  if (!brand || !isObject(value)) return null;
  const count = typeof value.product_count === 'number' && Number.isFinite(value.product_count) ? value.product_count : 0;
  return { ...brand, product_count: count };
}

/** A brand known only by its id (a product whose brand object is missing). */
const brandOfId = (id: string): Brand => ({
  id,
  name: id,
  hq: '',
  founded: null,
  website: null,
  logo_url: null,
  description: null,
});

export function parseRelatedItem(value: unknown): RelatedItem | null {
  if (!isObject(value)) return null;
  const id = asText(value.id);
  const name = asText(value.name);
  if (!id || !name) return null;
  return {
    id,
    name,
    category: optText(value.category),
    type: isRelationType(value.type) ? value.type : 'related',
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
    : { main: null, thumbnail: null };
  const documentUrl = isObject(value.documentation) ? optText(value.documentation.url) : null;
  const documentation =
    isObject(value.documentation) && documentUrl
      ? { type: optText(value.documentation.type), url: documentUrl, backup_url: optText(value.documentation.backup_url) }
      : null;
  const brand = asText(value.brand);
  return {
    ...value,
    id,
    name,
    brand,
    category: optText(value.category),
    description: optText(value.description),
    production_country: optText(value.production_country),
    images,
    documentation,
    brand_identity: parseBrand(value.brand_identity) ?? brandOfId(brand),
    price: typeof value.price === 'number' && Number.isFinite(value.price) ? value.price : null,
    specs: isObject(value.specs) ? value.specs : {},
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
    brand: parseBrand(value.brand) ?? product.brand_identity,
    context: { related_items: parseRelatedItems(isObject(value.context) ? value.context.related_items : null) },
    confidence: Math.max(0, Math.min(100, confidence)),
    match_text: asText(value.match_text) || product.name,
  };
}

export const parsePredictions = (value: unknown): Prediction[] =>
  Array.isArray(value) ? value.map(parsePrediction).filter((x): x is Prediction => x !== null) : [];

/** The cited pages: a source without a URL or a page number cannot be opened, so is dropped. */
export function parseSources(value: unknown): Source[] {
  if (!Array.isArray(value)) return [];
  const out: Source[] = [];
  for (const item of value) {
    if (!isObject(item)) continue;
    const url = asText(item.url);
    const page = item.page;
    if (!url || typeof page !== 'number' || !Number.isFinite(page)) continue;
    out.push({ page, url, title: asText(item.title) });
  }
  return out;
}

/** The error of an HTTP error body (`{error: {code, message}}`), or null when it is not one. */
export function parseErrorResponse(value: unknown): ErrorInfo | null {
  if (!isObject(value) || !isObject(value.error)) return null;
  const { code, message } = value.error;
  if (!isHttpErrorCode(code)) return null;
  return { code, message: asText(message) };
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
          brand: parseBrand(body.brand) ?? brandOfId(''),
          related_items: parseRelatedItems(body.related_items),
          scenario: isScenario(body.scenario) ? body.scenario : 'general',
          sources: parseSources(body.sources),
        },
      };
    }
    case 'final_answer':
      return {
        type: 'final_answer',
        content: asText(data.content),
        sources: parseSources(data.sources),
        provider: asText(data.provider),
        cached: data.cached === true,
        found: data.found !== false,
        seq: asSeq(data.seq),
        conversation_id: asText(data.conversation_id),
        answer_id: asText(data.answer_id),
      };
    case 'error': {
      const error: ErrorMessage = {
        type: 'error',
        message: asText(data.message) || 'Something went wrong.',
        code: isErrorCode(data.code) ? data.code : 'internal',
        seq: asSeq(data.seq),
      };
      // Only when the server gave them (an error that ends a query, or is about an answer).
      const conversationId = optText(data.conversation_id);
      const answerId = optText(data.answer_id);
      if (conversationId) error.conversation_id = conversationId;
      if (answerId) error.answer_id = answerId;
      return error;
    }
    case 'feedback_ack':
      return { type: 'feedback_ack', answer_id: asText(data.answer_id), seq: asSeq(data.seq) };
    case 'handoff_ack':
      return { type: 'handoff_ack', ticket_id: asText(data.ticket_id), seq: asSeq(data.seq) };
    case 'pong':
      return { type: 'pong', seq: asSeq(data.seq) };
    default:
      return null;
  }
}

/** The picture of a product, if the catalog has one. */
export const productImage = (product: Product): string | null =>
  product.images.thumbnail || product.images.main || null;
