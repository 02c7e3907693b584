/**
 * Answer text -> segments: plain text, and the markers of the contract rendered as cards:
 * `[MANUAL: page N]`, `[SUGGESTION: name]`, `[PRO TIP: advice]`. Anything else in brackets
 * stays text. Also: which document URL a page citation opens, and which catalog item a
 * suggestion names.
 */
import type { RelatedItem, Source } from '../../../lib/protocol';

export type Segment =
  | { kind: 'text'; text: string }
  | { kind: 'manual'; page: number }
  | { kind: 'suggestion'; name: string }
  | { kind: 'tip'; text: string };

const MARKER = /\[\s*(MANUAL|SUGGESTION|PRO[\s_-]*TIP)\s*:\s*([^\]]*?)\s*\]/gi;
const PAGE = /^(?:pages?|p\.?|pg\.?)?\s*(\d{1,5})/i;

/** Joins streamed chunks: a space between two chunks unless one side already has whitespace. */
export function joinChunks(chunks: readonly string[]): string {
  let text = '';
  for (const chunk of chunks) {
    if (!chunk) continue;
    if (text && !/\s$/.test(text) && !/^[\s.,;:!?)]/.test(chunk)) text += ' ';
    text += chunk;
  }
  return text;
}

export function parseMarkers(text: string): Segment[] {
  const segments: Segment[] = [];
  const pushText = (value: string) => {
    if (!value) return;
    const last = segments[segments.length - 1];
    if (last && last.kind === 'text') last.text += value;
    else segments.push({ kind: 'text', text: value });
  };
  let cursor = 0;
  for (const match of text.matchAll(MARKER)) {
    const index = match.index ?? 0;
    pushText(text.slice(cursor, index));
    cursor = index + match[0].length;
    const kind = (match[1] ?? '').toUpperCase().replace(/[\s_-]+/g, ' ');
    const body = (match[2] ?? '').trim();
    if (kind === 'MANUAL') {
      const page = PAGE.exec(body);
      if (page?.[1]) segments.push({ kind: 'manual', page: Number(page[1]) });
      else pushText(match[0]);
    } else if (kind === 'SUGGESTION' && body) {
      segments.push({ kind: 'suggestion', name: body });
    } else if (kind === 'PRO TIP' && body) {
      segments.push({ kind: 'tip', text: body });
    } else {
      pushText(match[0]);
    }
  }
  pushText(text.slice(cursor));
  // Whitespace-only text between two cards is layout noise.
  return segments.filter((s) => s.kind !== 'text' || s.text.trim() !== '');
}

export const parseAnswer = (chunks: readonly string[]): Segment[] => parseMarkers(joinChunks(chunks));

const isPdf = (url: string, docType: string | null | undefined) =>
  docType?.toLowerCase() === 'pdf' || /\.pdf(?:$|[?#])/i.test(url);

/**
 * The URL a `[MANUAL: page N]` chip opens: the source citing page N, else the first source,
 * else the product's own document; `#page=N` for a PDF.
 */
export function manualHref(
  page: number,
  sources: readonly Source[],
  fallbackUrl: string | null | undefined,
  docType?: string | null,
): string | null {
  const source = sources.find((s) => s.page === page) ?? sources[0];
  const url = source?.url || fallbackUrl;
  if (!url) return null;
  if (!isPdf(url, docType)) return url;
  return `${url.replace(/#.*$/, '')}#page=${page}`;
}

const nameKey = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/** The catalog item a suggestion names: exact (normalised) name first, then containment. */
export function findSuggestion(name: string, items: readonly RelatedItem[]): RelatedItem | null {
  const key = nameKey(name);
  if (!key) return null;
  const exact = items.find((item) => nameKey(item.name) === key);
  if (exact) return exact;
  return items.find((item) => {
    const other = nameKey(item.name);
    return other.length > 2 && (other.includes(key) || key.includes(other));
  }) ?? null;
}

/** Sources without duplicates, in order. */
export function uniqueSources(...lists: ReadonlyArray<readonly Source[]>): Source[] {
  const seen = new Set<string>();
  const out: Source[] = [];
  for (const list of lists) {
    for (const source of list) {
      const key = `${source.url}#${source.page ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(source);
    }
  }
  return out;
}
