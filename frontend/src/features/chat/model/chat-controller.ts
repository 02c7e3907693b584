/**
 * The chat's state and its conversation with the server, in plain TypeScript (React reads it
 * through `useSyncExternalStore`; tests drive it with a fake client and fake timers).
 *
 * - Typing: the text in the box goes out as a `typing` frame after `debounceMs` of quiet, each
 *   with a new `seq`; a `prediction` is shown only if it answers the latest frame sent.
 * - Asking: one question at a time (the answer frames of the contract carry no `seq` until the
 *   last one, so two streams on one socket could not be told apart); its frames build up one
 *   answer message until `final_answer` or `error`.
 * - Reconnecting: an answer cut off by a dropped connection ends with a readable error; the
 *   text in the box is sent again, fresh, when the socket is back. Nothing else is replayed.
 * - Conversation: the `conversation_id` of the last answer goes with the next question about the
 *   same product, so follow-ups are understood; picking another product starts a new one.
 * - Feedback and handoff: `feedback` (a rating of one finished answer) and `handoff` (a request
 *   for a person) frames carry a `seq`; their `feedback_ack` / `handoff_ack` or `error` is matched
 *   by it. No ack within `ackTimeoutMs`, or a dropped connection, is an error the user can retry.
 */
import { translate, type Lang } from '../../../i18n/translate';
import type { ConnectionState } from '../../../lib/ws';
import type {
  Brand,
  ClientFrame,
  Contact,
  FeedbackFrame,
  HandoffFrame,
  Prediction,
  Product,
  RelatedItem,
  Scenario,
  ServerMessage,
  Source,
} from '../../../lib/protocol';
import { uniqueSources } from './markers';

/** What the controller needs of the protocol client. */
export interface ChatTransport {
  readonly state: ConnectionState;
  start(): void;
  stop(): void;
  send(frame: ClientFrame): boolean;
  nextSeq(): number;
  onMessage(listener: (message: ServerMessage) => void): () => void;
  onState(listener: (state: ConnectionState) => void): () => void;
}

export interface LockedProduct {
  product: Product;
  brand: Brand | null;
  relatedItems: RelatedItem[];
}

export interface UserMessage {
  id: string;
  kind: 'user';
  text: string;
  productName: string;
  scenario: Scenario;
}

export type Rating = FeedbackFrame['rating'];

/** Why a feedback or handoff request failed; `server` carries the server's words (safe to show). */
export type SendError =
  | { kind: 'offline' | 'dropped' | 'timeout' }
  | { kind: 'server'; message: string };

export interface FeedbackState {
  rating: Rating;
  /** The comment sent with the rating, if any. */
  comment: string | null;
  status: 'sending' | 'sent' | 'error';
  error: SendError | null;
}

/** Why the handoff form was opened: by the user, or offered after an unhelpful answer. */
export type HandoffReason = 'asked' | 'not_found' | 'down_vote';

export interface HandoffState {
  open: boolean;
  reason: HandoffReason;
  status: 'idle' | 'sending' | 'sent' | 'error';
  ticketId: string | null;
  error: SendError | null;
}

export interface HandoffRequest {
  message: string;
  contact: Contact;
  /** The customer's language, for the person who answers (default: the one of `setLang`). */
  lang?: HandoffFrame['lang'];
}

export type SendResult = 'sent' | 'offline' | 'unknown' | 'busy';

export interface AnswerMessage {
  id: string;
  kind: 'answer';
  seq: number;
  productId: string;
  productName: string;
  scenario: Scenario;
  state: 'streaming' | 'done' | 'error';
  status: string | null;
  chunks: string[];
  sources: Source[];
  relatedItems: RelatedItem[];
  docUrl: string | null;
  docType: string | null;
  found: boolean;
  cached: boolean;
  error: string | null;
  /** From `final_answer` (or an `error` ending the query); what a rating refers to. */
  answerId: string | null;
  conversationId: string | null;
  feedback: FeedbackState | null;
}

export interface NoticeMessage {
  id: string;
  kind: 'notice';
  text: string;
}

export type ChatMessage = UserMessage | AnswerMessage | NoticeMessage;

export interface ChatState {
  connection: ConnectionState;
  predictions: Prediction[];
  /** The text the shown predictions answer. */
  predictionsFor: string | null;
  locked: LockedProduct | null;
  scenario: Scenario;
  messages: ChatMessage[];
  /** The question being answered, if any. */
  pending: { seq: number; messageId: string } | null;
  /** A short-lived problem that is not part of an answer (e.g. "please slow down"). */
  alert: string | null;
  /** The server's conversation and the product it is about; the next query continues it. */
  conversation: { id: string; productId: string } | null;
  handoff: HandoffState;
}

export type AskResult = 'sent' | 'empty' | 'no-product' | 'offline' | 'busy';

export interface ChatControllerOptions {
  debounceMs: number;
  predictionLimit: number;
  /** An answer with no end after this long is closed with an error. */
  answerTimeoutMs?: number;
  /** A feedback or handoff frame with no ack after this long fails. */
  ackTimeoutMs?: number;
  /** Predict only this brand's products (the widget's `data-brand`). */
  brand?: string | null;
}

// The controller's own texts in English, for tests (read when the module loads, so after the
// English catalog: src/test/setup.ts). The controller itself translates at the time, see `lang`.
export const DROPPED_MESSAGE = translate('en', 'answer.dropped');
export const TIMEOUT_MESSAGE = translate('en', 'answer.timeout');

const CONVERSATION_ID = /^[A-Za-z0-9_.-]{1,64}$/;

/** A conversation id made up here, for a handoff before any answer (`[A-Za-z0-9_.-]{1,64}`). */
export function localConversationId(random: () => number = Math.random): string {
  const part = () => Math.floor(random() * 36 ** 6).toString(36).padStart(6, '0');
  return `web-${Date.now().toString(36)}-${part()}${part()}`;
}

const CLOSED_HANDOFF: HandoffState = { open: false, reason: 'asked', status: 'idle', ticketId: null, error: null };

type PendingAck = { kind: 'feedback'; answerId: string } | { kind: 'handoff' };

export function lockedFromPrediction(prediction: Prediction): LockedProduct {
  return { product: prediction.product, brand: prediction.brand, relatedItems: prediction.context.related_items };
}

export class ChatController {
  private state: ChatState;
  private readonly listeners = new Set<() => void>();
  private text = '';
  private lastTypingSeq: number | null = null;
  private debounceTimer: ReturnType<typeof setTimeout> | null = null;
  private answerTimer: ReturnType<typeof setTimeout> | null = null;
  private ids = 0;
  private unsubscribe: Array<() => void> = [];
  /** Feedback and handoff frames waiting for their ack, by seq. */
  private readonly acks = new Map<number, { ack: PendingAck; timer: ReturnType<typeof setTimeout> }>();
  /** Made up for a handoff when the server has not started a conversation yet. */
  private localConversation: string | null = null;
  /** The reader's language: sent with each question, and used for the controller's own texts. */
  private lang: Lang = 'en';

  constructor(
    private readonly transport: ChatTransport,
    private readonly options: ChatControllerOptions,
  ) {
    this.state = {
      connection: transport.state,
      predictions: [],
      predictionsFor: null,
      locked: null,
      scenario: 'general',
      messages: [],
      pending: null,
      alert: null,
      conversation: null,
      handoff: CLOSED_HANDOFF,
    };
  }

  // --- store interface -------------------------------------------------------------------

  getState = (): ChatState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Connects and listens; returns the function that undoes it. */
  start(): () => void {
    if (this.unsubscribe.length === 0) {
      this.unsubscribe = [
        this.transport.onState((connection) => this.onConnection(connection)),
        this.transport.onMessage((message) => this.onMessage(message)),
      ];
    }
    this.transport.start();
    this.update({ connection: this.transport.state });
    return () => this.stop();
  }

  stop(): void {
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    this.clearDebounce();
    this.clearAnswerTimer();
    for (const { timer } of this.acks.values()) clearTimeout(timer);
    this.acks.clear();
    this.transport.stop();
  }

  // --- actions ---------------------------------------------------------------------------

  /** The text in the box changed. */
  typed(text: string): void {
    this.text = text;
    if (this.state.locked) return;
    this.clearDebounce();
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = null;
      this.sendTyping();
    }, this.options.debounceMs);
  }

  lock(product: LockedProduct): void {
    this.clearDebounce();
    this.lastTypingSeq = null; // a late prediction must not reopen the list
    this.text = '';
    // Another product is another conversation; the same one again carries on.
    const conversation = this.state.conversation?.productId === product.product.id ? this.state.conversation : null;
    if (!conversation) this.localConversation = null;
    this.update({ locked: product, predictions: [], predictionsFor: null, alert: null, conversation });
  }

  unlock(): void {
    if (!this.state.locked) return;
    this.update({ locked: null });
    this.sendTyping();
  }

  /** The reader's language (`lang` on the next questions; server texts follow it). */
  setLang(lang: Lang): void {
    this.lang = lang;
  }

  setScenario(scenario: Scenario): void {
    if (scenario !== this.state.scenario) this.update({ scenario });
  }

  dismissAlert(): void {
    if (this.state.alert) this.update({ alert: null });
  }

  ask(question: string): AskResult {
    const query = question.trim();
    const locked = this.state.locked;
    if (!query) return 'empty';
    if (!locked) return 'no-product';
    if (this.state.pending) return 'busy';
    const seq = this.transport.nextSeq();
    const scenario = this.state.scenario;
    const conversation = this.state.conversation?.productId === locked.product.id ? this.state.conversation.id : null;
    const sent = this.transport.send({
      type: 'query',
      product_id: locked.product.id,
      query,
      scenario,
      seq,
      lang: this.lang,
      ...(conversation ? { conversation_id: conversation } : {}),
    });
    if (!sent) return 'offline';
    const user: UserMessage = {
      id: this.nextId(),
      kind: 'user',
      text: query,
      productName: locked.product.name,
      scenario,
    };
    const answer: AnswerMessage = {
      id: this.nextId(),
      kind: 'answer',
      seq,
      productId: locked.product.id,
      productName: locked.product.name,
      scenario,
      state: 'streaming',
      status: translate(this.lang, 'answer.sending'),
      chunks: [],
      sources: [],
      relatedItems: locked.relatedItems,
      docUrl: locked.product.documentation?.url ?? null,
      docType: locked.product.documentation?.type ?? null,
      found: true,
      cached: false,
      error: null,
      answerId: null,
      conversationId: conversation,
      feedback: null,
    };
    this.text = '';
    this.update({
      messages: [...this.state.messages, user, answer],
      pending: { seq, messageId: answer.id },
      alert: null,
    });
    this.armAnswerTimer();
    return 'sent';
  }

  /**
   * Rates a finished answer (again: a later rating or a comment replaces the earlier one on the
   * server). `comment` is trimmed; empty means none.
   */
  rate(answerId: string, rating: Rating, comment?: string): SendResult {
    const index = this.findAnswer(answerId);
    if (index < 0) return 'unknown';
    const note = comment?.trim().slice(0, 2000) || null;
    const seq = this.transport.nextSeq();
    const frame: FeedbackFrame = { type: 'feedback', answer_id: answerId, rating, seq, ...(note ? { comment: note } : {}) };
    const sent = this.transport.send(frame);
    const feedback: FeedbackState = sent
      ? { rating, comment: note, status: 'sending', error: null }
      : { rating, comment: note, status: 'error', error: { kind: 'offline' } };
    this.patchMessage(index, (a) => ({ ...a, feedback }));
    if (!sent) return 'offline';
    const earlier = this.ackOfAnswer(answerId);
    if (earlier !== null) this.settleAck(earlier); // its ack, if it comes, is for a replaced rating
    this.expectAck(seq, { kind: 'feedback', answerId });
    return 'sent';
  }

  /** Shows the handoff form (a new request, unless one is being sent). */
  openHandoff(reason: HandoffReason = 'asked'): void {
    const current = this.state.handoff;
    if (current.status === 'sending') {
      if (!current.open) this.update({ handoff: { ...current, open: true } });
      return;
    }
    this.update({ handoff: { ...CLOSED_HANDOFF, open: true, reason } });
  }

  closeHandoff(): void {
    if (this.state.handoff.open) this.update({ handoff: { ...this.state.handoff, open: false } });
  }

  /** The conversation a handoff is about: the server's, or one made up here before any answer. */
  handoffConversationId(): string {
    const id = this.state.conversation?.id;
    if (id && CONVERSATION_ID.test(id)) return id;
    this.localConversation ??= localConversationId();
    return this.localConversation;
  }

  /** Asks for a person; blank contact fields are left out. */
  requestHandoff(request: HandoffRequest): SendResult {
    if (this.state.handoff.status === 'sending') return 'busy';
    const contact: Contact = {};
    for (const key of ['name', 'email', 'phone'] as const) {
      const value = request.contact[key]?.trim();
      if (value) contact[key] = value;
    }
    const message = request.message.trim().slice(0, 2000);
    const seq = this.transport.nextSeq();
    const sent = this.transport.send({
      type: 'handoff',
      conversation_id: this.handoffConversationId(),
      seq,
      ...(message ? { message } : {}),
      ...(Object.keys(contact).length ? { contact } : {}),
      lang: request.lang ?? this.lang,
    });
    const base = { ...this.state.handoff, open: true, ticketId: null };
    if (!sent) {
      this.update({ handoff: { ...base, status: 'error', error: { kind: 'offline' } } });
      return 'offline';
    }
    this.update({ handoff: { ...base, status: 'sending', error: null } });
    this.expectAck(seq, { kind: 'handoff' });
    return 'sent';
  }

  // --- server side -----------------------------------------------------------------------

  private sendTyping(): void {
    const seq = this.transport.nextSeq();
    const brand = this.options.brand;
    const sent = this.transport.send({ type: 'typing', content: this.text, seq, limit: this.options.predictionLimit, ...(brand ? { brand } : {}) });
    // Not sent (offline): nothing is kept; the box is sent again when the socket opens.
    this.lastTypingSeq = sent ? seq : null;
  }

  private onConnection(connection: ConnectionState): void {
    const wasOpen = this.state.connection.status === 'open';
    this.update({ connection });
    if (connection.status === 'open' && !wasOpen) {
      if (!this.state.locked) this.sendTyping();
    } else if (connection.status !== 'open' && wasOpen) {
      this.lastTypingSeq = null;
      if (this.state.pending) this.endAnswer({ state: 'error', error: translate(this.lang, 'answer.dropped'), status: null });
      for (const seq of [...this.acks.keys()]) this.failAck(seq, { kind: 'dropped' });
    }
  }

  private onMessage(message: ServerMessage): void {
    switch (message.type) {
      case 'prediction':
        this.onPrediction(message.data, message.seq, message.query);
        return;
      case 'status':
        this.patchAnswer((a) => ({ ...a, status: message.msg || a.status }));
        return;
      case 'answer_chunk':
        if (message.content) this.patchAnswer((a) => ({ ...a, chunks: [...a.chunks, message.content] }));
        return;
      case 'context':
        this.patchAnswer((a) => ({
          ...a,
          sources: uniqueSources(a.sources, message.data.sources),
          relatedItems: message.data.related_items.length ? message.data.related_items : a.relatedItems,
        }));
        return;
      case 'final_answer':
        if (!this.isPendingSeq(message.seq)) return;
        this.patchAnswer((a) => ({
          ...a,
          chunks: a.chunks.length === 0 && message.content ? [message.content] : a.chunks,
          sources: uniqueSources(a.sources, message.sources),
          found: message.found,
          cached: message.cached,
        }));
        this.endAnswer({ state: 'done', status: null, ...this.keepConversation(message.conversation_id, message.answer_id) });
        return;
      case 'error':
        if (message.seq != null && this.acks.has(message.seq)) {
          this.failAck(message.seq, { kind: 'server', message: message.message });
        } else if (this.state.pending && (message.seq == null || message.seq === this.state.pending.seq)) {
          // An error without a seq (the field is left out) is about whatever is in flight.
          this.endAnswer({
            state: 'error',
            error: message.message,
            status: null,
            ...this.keepConversation(message.conversation_id, message.answer_id),
          });
        } else if (message.seq == null && this.ackOfAnswer(message.answer_id) !== null) {
          this.failAck(this.ackOfAnswer(message.answer_id)!, { kind: 'server', message: message.message });
        } else if (message.seq == null || message.seq === this.lastTypingSeq) {
          this.update({ alert: message.message });
        }
        return;
      case 'feedback_ack': {
        const seq = message.seq ?? this.ackOfAnswer(message.answer_id);
        const pending = seq != null ? this.acks.get(seq) : undefined;
        if (seq == null || pending?.ack.kind !== 'feedback') return;
        this.settleAck(seq);
        const index = this.findAnswer(pending.ack.answerId);
        this.patchMessage(index, (a) => (a.feedback ? { ...a, feedback: { ...a.feedback, status: 'sent', error: null } } : a));
        return;
      }
      case 'handoff_ack': {
        const seq = message.seq ?? [...this.acks].find(([, p]) => p.ack.kind === 'handoff')?.[0];
        if (seq == null || this.acks.get(seq)?.ack.kind !== 'handoff') return;
        this.settleAck(seq);
        this.update({ handoff: { ...this.state.handoff, status: 'sent', ticketId: message.ticket_id || null, error: null } });
        // The ticket number stays in the conversation once the panel is closed.
        if (message.ticket_id) this.notice(translate(this.lang, 'handoff.notice', { ticket: message.ticket_id }));
        return;
      }
      case 'pong':
        return;
    }
  }

  private onPrediction(predictions: Prediction[], seq: number | null, query: string): void {
    if (this.state.locked) return;
    // Only the answer to the latest typing frame counts; older (or unnumbered, other text) ones are dropped.
    if (seq !== null ? seq !== this.lastTypingSeq : query !== this.text) return;
    this.update({ predictions, predictionsFor: query, alert: null });
  }

  /** Remembers the server's conversation for the answer in flight; the answer's ids as a patch. */
  private keepConversation(conversationId: string | null | undefined, answerId: string | null | undefined): Partial<AnswerMessage> {
    const index = this.state.pending ? this.findMessage(this.state.pending.messageId) : -1;
    const answer = index >= 0 ? this.state.messages[index] : undefined;
    if (conversationId && answer?.kind === 'answer') {
      // Only if the product is still the one picked: a new pick while answering started anew.
      const locked = this.state.locked?.product.id;
      if (!locked || locked === answer.productId) {
        this.update({ conversation: { id: conversationId, productId: answer.productId } });
        this.localConversation = null;
      }
    }
    return { answerId: answerId || null, conversationId: conversationId || (answer?.kind === 'answer' ? answer.conversationId : null) };
  }

  private expectAck(seq: number, ack: PendingAck): void {
    const timer = setTimeout(() => this.failAck(seq, { kind: 'timeout' }), this.options.ackTimeoutMs ?? 20_000);
    this.acks.set(seq, { ack, timer });
  }

  private settleAck(seq: number): void {
    const pending = this.acks.get(seq);
    if (pending) clearTimeout(pending.timer);
    this.acks.delete(seq);
  }

  private failAck(seq: number, error: SendError): void {
    const pending = this.acks.get(seq);
    if (!pending) return;
    this.settleAck(seq);
    if (pending.ack.kind === 'handoff') {
      this.update({ handoff: { ...this.state.handoff, status: 'error', error } });
      return;
    }
    const index = this.findAnswer(pending.ack.answerId);
    this.patchMessage(index, (a) => (a.feedback ? { ...a, feedback: { ...a.feedback, status: 'error', error } } : a));
  }

  /** The seq of the feedback in flight for this answer, if any. */
  private ackOfAnswer(answerId: string | null | undefined): number | null {
    if (!answerId) return null;
    for (const [seq, pending] of this.acks) if (pending.ack.kind === 'feedback' && pending.ack.answerId === answerId) return seq;
    return null;
  }

  private findAnswer(answerId: string): number {
    const messages = this.state.messages;
    for (let i = messages.length - 1; i >= 0; i -= 1) {
      const message = messages[i];
      if (message?.kind === 'answer' && message.answerId === answerId) return i;
    }
    return -1;
  }

  private patchMessage(index: number, patch: (answer: AnswerMessage) => AnswerMessage): void {
    const current = index >= 0 ? this.state.messages[index] : undefined;
    if (!current || current.kind !== 'answer') return;
    const messages = this.state.messages.slice();
    messages[index] = patch(current);
    this.update({ messages });
  }

  private isPendingSeq(seq: number | null): boolean {
    const pending = this.state.pending;
    return pending !== null && (seq === null || seq === pending.seq);
  }

  private patchAnswer(patch: (answer: AnswerMessage) => AnswerMessage): void {
    const pending = this.state.pending;
    if (!pending) return; // a frame of no question in flight: stale, dropped
    const index = this.findMessage(pending.messageId);
    const current = index >= 0 ? this.state.messages[index] : undefined;
    if (!current || current.kind !== 'answer') return;
    const messages = this.state.messages.slice();
    messages[index] = patch(current);
    this.update({ messages });
    this.armAnswerTimer();
  }

  private endAnswer(patch: Partial<AnswerMessage>): void {
    const pending = this.state.pending;
    if (!pending) return;
    this.clearAnswerTimer();
    const index = this.findMessage(pending.messageId);
    const current = index >= 0 ? this.state.messages[index] : undefined;
    const messages = this.state.messages.slice();
    if (current && current.kind === 'answer') messages[index] = { ...current, ...patch };
    this.update({ messages, pending: null });
  }

  private findMessage(id: string): number {
    const messages = this.state.messages;
    for (let i = messages.length - 1; i >= 0; i -= 1) if (messages[i]?.id === id) return i;
    return -1;
  }

  private armAnswerTimer(): void {
    this.clearAnswerTimer();
    this.answerTimer = setTimeout(() => {
      this.answerTimer = null;
      this.endAnswer({ state: 'error', error: translate(this.lang, 'answer.timeout'), status: null });
    }, this.options.answerTimeoutMs ?? 120_000);
  }

  private clearAnswerTimer(): void {
    if (this.answerTimer !== null) clearTimeout(this.answerTimer);
    this.answerTimer = null;
  }

  private clearDebounce(): void {
    if (this.debounceTimer !== null) clearTimeout(this.debounceTimer);
    this.debounceTimer = null;
  }

  private nextId(): string {
    this.ids += 1;
    return `m${this.ids}`;
  }

  private update(patch: Partial<ChatState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of [...this.listeners]) listener();
  }

  /** For tests and the product page link: show a notice line in the conversation. */
  notice(text: string): void {
    this.update({ messages: [...this.state.messages, { id: this.nextId(), kind: 'notice', text }] });
  }
}
