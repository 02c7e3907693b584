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
 */
import type { ConnectionState } from '../../../lib/ws';
import type {
  Brand,
  ClientFrame,
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
}

export type AskResult = 'sent' | 'empty' | 'no-product' | 'offline' | 'busy';

export interface ChatControllerOptions {
  debounceMs: number;
  predictionLimit: number;
  /** An answer with no end after this long is closed with an error. */
  answerTimeoutMs?: number;
}

export const DROPPED_MESSAGE = 'The connection dropped before the answer was complete. Please ask again.';
export const TIMEOUT_MESSAGE = 'The answer is taking too long. Please try again in a moment.';

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
    this.update({ locked: product, predictions: [], predictionsFor: null, alert: null });
  }

  unlock(): void {
    if (!this.state.locked) return;
    this.update({ locked: null });
    this.sendTyping();
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
    const sent = this.transport.send({ type: 'query', product_id: locked.product.id, query, scenario, seq });
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
      status: 'Sending your question…',
      chunks: [],
      sources: [],
      relatedItems: locked.relatedItems,
      docUrl: locked.product.documentation?.url ?? null,
      docType: locked.product.documentation?.type ?? null,
      found: true,
      cached: false,
      error: null,
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

  // --- server side -----------------------------------------------------------------------

  private sendTyping(): void {
    const seq = this.transport.nextSeq();
    const sent = this.transport.send({ type: 'typing', content: this.text, seq, limit: this.options.predictionLimit });
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
      if (this.state.pending) this.endAnswer({ state: 'error', error: DROPPED_MESSAGE, status: null });
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
        this.endAnswer({ state: 'done', status: null });
        return;
      case 'error':
        // An error without a seq (the field is left out) is about whatever is in flight.
        if (this.state.pending && (message.seq == null || message.seq === this.state.pending.seq)) {
          this.endAnswer({ state: 'error', error: message.message, status: null });
        } else if (message.seq == null || message.seq === this.lastTypingSeq) {
          this.update({ alert: message.message });
        }
        return;
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
      this.endAnswer({ state: 'error', error: TIMEOUT_MESSAGE, status: null });
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
