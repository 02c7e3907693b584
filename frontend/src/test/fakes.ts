import type { Brand, ClientFrame, Prediction, RelatedItem, ServerMessage } from '../lib/protocol';
import type { ConnectionState, SocketLike } from '../lib/ws';
import type { ChatTransport } from '../features/chat/model/chat-controller';

/** A WebSocket stand-in the test opens, feeds and closes by hand. */
export class FakeSocket implements SocketLike {
  static instances: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  closedWith: number | undefined;
  onopen: ((event: unknown) => void) | null = null;
  onclose: ((event: { code: number; reason?: string }) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }
  static reset() {
    FakeSocket.instances = [];
  }
  static last(): FakeSocket {
    const socket = FakeSocket.instances[FakeSocket.instances.length - 1];
    if (!socket) throw new Error('no socket was opened');
    return socket;
  }
  send(data: string) {
    this.sent.push(data);
  }
  close(code = 1000) {
    this.closedWith = code;
    this.readyState = 3;
  }
  // --- driven by the test ---
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(message: unknown) {
    this.onmessage?.({ data: typeof message === 'string' ? message : JSON.stringify(message) });
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  frames(): ClientFrame[] {
    return this.sent.map((raw) => JSON.parse(raw) as ClientFrame);
  }
}

/** A ChatTransport whose connection and messages the test controls. */
export class FakeTransport implements ChatTransport {
  state: ConnectionState = { status: 'idle', attempt: 0, retryInMs: null, lastCloseCode: null };
  sent: ClientFrame[] = [];
  private seq = 0;
  private messageListeners = new Set<(m: ServerMessage) => void>();
  private stateListeners = new Set<(s: ConnectionState) => void>();
  start() {}
  stop() {}
  nextSeq() {
    this.seq += 1;
    return this.seq;
  }
  send(frame: ClientFrame) {
    if (this.state.status !== 'open') return false;
    this.sent.push(frame);
    return true;
  }
  onMessage(listener: (m: ServerMessage) => void) {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }
  onState(listener: (s: ConnectionState) => void) {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }
  setStatus(status: ConnectionState['status']) {
    this.state = { ...this.state, status };
    for (const listener of [...this.stateListeners]) listener(this.state);
  }
  emit(message: ServerMessage) {
    for (const listener of [...this.messageListeners]) listener(message);
  }
  lastOf<T extends ClientFrame['type']>(type: T): FrameOf<T> | undefined {
    return [...this.sent].reverse().find((f) => f.type === type) as FrameOf<T> | undefined;
  }
}

/** The frame of a given type (a query frame's type is `query` or `lock_and_query`). */
type FrameOf<T extends ClientFrame['type']> = ClientFrame extends infer F
  ? F extends { type: infer K }
    ? T extends K
      ? F
      : never
    : never
  : never;

export const ROLAND: Brand = {
  id: 'roland',
  name: 'Roland',
  hq: 'Hamamatsu, Japan',
  founded: null,
  website: null,
  logo_url: null,
  description: null,
};

export function relatedItem(id: string, name: string, extra: Partial<RelatedItem> = {}): RelatedItem {
  return { id, name, category: null, type: 'accessory', label: null, image: null, production_country: null, ...extra };
}

export function prediction(id: string, name: string, extra: Partial<Prediction> = {}): Prediction {
  return {
    product: {
      id,
      name,
      brand: 'roland',
      category: 'Electronic Drums',
      description: null,
      production_country: null,
      images: { main: null, thumbnail: null },
      documentation: { type: 'pdf', url: `http://manuals.test/${id}.pdf`, backup_url: null },
      brand_identity: ROLAND,
      price: null,
      specs: {},
      family: null,
      sku: null,
    },
    brand: ROLAND,
    context: {
      related_items: [relatedItem('roland-rh300', 'Roland RH-300 Headphones', { label: 'Recommended Headphones' })],
    },
    confidence: 92,
    match_text: name,
    ...extra,
  };
}

export const TD27 = prediction('roland-td27kv', 'Roland TD-27KV V-Drums');
export const TD17 = prediction('roland-td17kvx2', 'Roland TD-17KVX Gen 2', { confidence: 60 });
