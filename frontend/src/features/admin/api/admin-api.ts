/**
 * The admin reports of the contract (bearer token): `GET /api/admin/{tickets,feedback,
 * unanswered,searches}`, each with `limit`, as JSON or (`format=csv`) CSV. Errors are
 * `AdminError`s whose `kind` the page turns into words: 401 is a wrong token, 404 an admin area
 * switched off on the server (no `HSC_ADMIN_TOKEN`).
 */
import {
  asText,
  parseErrorResponse,
  type ContactOut,
  type FailedSearch,
  type FeedbackEntry,
  type Ticket,
  type TicketProduct,
  type UnansweredGroup,
} from '../../../lib/protocol';

export type Report = 'unanswered' | 'feedback' | 'searches' | 'tickets';

/** Rows asked for per report (the server allows up to 1000). */
export const REPORT_LIMIT = 200;

export type AdminErrorKind = 'unauthorized' | 'disabled' | 'unreachable' | 'unreadable' | 'server';

export class AdminError extends Error {
  constructor(
    readonly kind: AdminErrorKind,
    readonly status: number,
    /** The server's own words, when it sent the contract's error body. */
    readonly serverMessage: string | null = null,
  ) {
    super(serverMessage ?? `admin request failed: ${kind} (${status})`);
    this.name = 'AdminError';
  }
}

/** Extra query parameters of a report (`rating=down` for the feedback). */
export type ReportFilter = Readonly<Record<string, string>>;

const reportUrl = (report: Report, format: 'json' | 'csv', limit = REPORT_LIMIT, filter: ReportFilter = {}): string => {
  const params = new URLSearchParams({ ...filter, limit: String(limit) });
  if (format === 'csv') params.set('format', 'csv');
  // Admin routes answer their own origin only (no CORS for them): always same-origin.
  return `/api/admin/${report}?${params.toString()}`;
};

async function request(
  report: Report,
  token: string,
  format: 'json' | 'csv',
  signal?: AbortSignal,
  limit?: number,
  filter?: ReportFilter,
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(reportUrl(report, format, limit, filter), {
      signal,
      headers: { Authorization: `Bearer ${token}`, Accept: format === 'csv' ? 'text/csv' : 'application/json' },
      cache: 'no-store',
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new AdminError('unreachable', 0);
  }
  if (response.ok) return response;
  let message: string | null = null;
  try {
    message = parseErrorResponse(await response.json())?.message || null;
  } catch {
    // Not the contract's error body: the status is all there is.
  }
  const kind: AdminErrorKind = response.status === 401 || response.status === 403 ? 'unauthorized' : response.status === 404 ? 'disabled' : 'server';
  throw new AdminError(kind, response.status, message);
}

async function getJson(report: Report, token: string, signal?: AbortSignal, limit?: number, filter?: ReportFilter): Promise<Record<string, unknown>> {
  const response = await request(report, token, 'json', signal, limit, filter);
  try {
    const data: unknown = await response.json();
    if (typeof data === 'object' && data !== null && !Array.isArray(data)) return data as Record<string, unknown>;
  } catch {
    // falls through
  }
  throw new AdminError('unreadable', response.status);
}

// --- lenient parsing: a row the page cannot show is dropped, a missing field gets a default ---

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const optText = (value: unknown): string | null => asText(value) || null;
const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const rows = <T>(value: unknown, parse: (row: Json) => T | null): T[] =>
  Array.isArray(value) ? value.filter(isObject).map(parse).filter((row): row is T => row !== null) : [];

function contactOf(value: unknown): ContactOut {
  const contact = isObject(value) ? value : {};
  return { name: optText(contact.name), email: optText(contact.email), phone: optText(contact.phone) };
}

function productOf(value: unknown): TicketProduct | null {
  if (!isObject(value)) return null;
  const id = asText(value.id);
  return id ? { id, name: asText(value.name) || id, brand: asText(value.brand) } : null;
}

const TICKET_STATES: ReadonlySet<string> = new Set<Ticket['state']>(['pending', 'delivered', 'not_configured']);

export function parseTicket(row: Json): Ticket | null {
  const ticketId = asText(row.ticket_id);
  if (!ticketId) return null;
  const state = asText(row.state);
  return {
    ticket_id: ticketId,
    conversation_id: asText(row.conversation_id),
    created_at: asText(row.created_at),
    message: asText(row.message),
    contact: contactOf(row.contact),
    product: productOf(row.product),
    state: TICKET_STATES.has(state) ? (state as Ticket['state']) : 'pending',
    attempts: count(row.attempts),
    delivered_at: optText(row.delivered_at),
    next_attempt_at: optText(row.next_attempt_at),
    last_error: optText(row.last_error),
  };
}

export function parseFeedback(row: Json): FeedbackEntry | null {
  const answerId = asText(row.answer_id);
  if (!answerId || (row.rating !== 'up' && row.rating !== 'down')) return null;
  return {
    answer_id: answerId,
    rating: row.rating,
    comment: optText(row.comment),
    conversation_id: asText(row.conversation_id),
    product_id: asText(row.product_id),
    question: asText(row.question),
    answer: asText(row.answer),
    created_at: asText(row.created_at),
  };
}

export function parseGroup(row: Json): UnansweredGroup | null {
  const example = asText(row.example);
  const questions = Array.isArray(row.questions) ? row.questions.map(asText).filter(Boolean) : [];
  if (!example && questions.length === 0) return null;
  return {
    product_id: asText(row.product_id),
    product_name: optText(row.product_name),
    count: count(row.count) || questions.length,
    example: example || questions[0] || '',
    questions,
    last_asked: asText(row.last_asked),
  };
}

export function parseSearch(row: Json): FailedSearch | null {
  const text = asText(row.text);
  return text ? { text, count: count(row.count), last_seen: asText(row.last_seen) } : null;
}

/**
 * The down-votes, one per answer: a rating sent again (a comment after the vote) replaces the
 * earlier one, so only the newest of each answer is kept; newest first.
 */
export function downVotes(entries: FeedbackEntry[]): FeedbackEntry[] {
  const newest = new Map<string, FeedbackEntry>();
  for (const entry of entries) {
    const known = newest.get(entry.answer_id);
    if (!known || entry.created_at > known.created_at) newest.set(entry.answer_id, entry);
  }
  return [...newest.values()].filter((e) => e.rating === 'down').sort((a, b) => b.created_at.localeCompare(a.created_at));
}

// --- the reports ---------------------------------------------------------------------------

export const fetchTickets = async (token: string, signal?: AbortSignal): Promise<Ticket[]> =>
  rows((await getJson('tickets', token, signal)).tickets, parseTicket);

/** Rated answers; `DOWN_VOTES` as the filter for the down-votes only. */
export const fetchFeedback = async (token: string, signal?: AbortSignal, filter?: ReportFilter): Promise<FeedbackEntry[]> =>
  rows((await getJson('feedback', token, signal, undefined, filter)).feedback, parseFeedback);

export const DOWN_VOTES: ReportFilter = { rating: 'down' };

export const fetchUnanswered = async (token: string, signal?: AbortSignal): Promise<UnansweredGroup[]> =>
  rows((await getJson('unanswered', token, signal)).groups, parseGroup);

export const fetchSearches = async (token: string, signal?: AbortSignal): Promise<FailedSearch[]> =>
  rows((await getJson('searches', token, signal)).searches, parseSearch);

/** Checks a token with the smallest request there is; throws an AdminError when it is refused. */
export async function checkToken(token: string, signal?: AbortSignal): Promise<void> {
  await getJson('tickets', token, signal, 1);
}

/** Fetches a report as CSV (with the token, so not a plain link) and saves it as a file. */
export async function downloadCsv(report: Report, token: string, filter?: ReportFilter, now: Date = new Date()): Promise<string> {
  const response = await request(report, token, 'csv', undefined, undefined, filter);
  const blob = await response.blob();
  const filename = `hsc-${report}-${now.toISOString().slice(0, 10)}.csv`;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return filename;
}
