/**
 * The protocol client: one WebSocket to `/ws`, typed frames in and out, and reconnection with
 * exponential backoff whenever the socket closes without us asking (a network drop, close code
 * 1012 "service restart" during a deploy, an idle timeout, a policy close).
 *
 * It queues nothing: `send` while the socket is not open returns false and the frame is gone.
 * What must survive a reconnect (the text in the box) is re-sent fresh by its owner when the
 * state turns `open` again, with a new sequence number; a stale frame never goes out late.
 */
import { parseServerMessage, type ClientFrame, type ServerMessage } from '../protocol';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';

export const CLOSE_SERVICE_RESTART = 1012;

export type ConnectionStatus = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'stopped';

export interface ConnectionState {
  status: ConnectionStatus;
  /** Failed attempts since the last stable connection. */
  attempt: number;
  /** When status is `reconnecting`: milliseconds until the next try. */
  retryInMs: number | null;
  /** The code of the last close, if any (1006 for a dropped connection, 1012 for a restart...). */
  lastCloseCode: number | null;
}

/** The part of the browser's WebSocket the client uses; tests pass a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: { code: number; reason?: string }) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type SocketFactory = (url: string) => SocketLike;

export interface ProtocolClientOptions {
  /** The socket URL, or a function giving it (evaluated at every attempt). */
  url: string | (() => string);
  createSocket?: SocketFactory;
  backoff?: Partial<BackoffOptions>;
  /** After this long open, the attempt counter starts again from zero. */
  stableAfterMs?: number;
  /** A socket still connecting after this long is dropped and retried. */
  connectTimeoutMs?: number;
  random?: () => number;
}

const OPEN = 1;

type Listener<T> = (value: T) => void;

const browserSocket: SocketFactory = (url) => new WebSocket(url) as unknown as SocketLike;

export class ProtocolClient {
  private socket: SocketLike | null = null;
  private seq = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private stableTimer: ReturnType<typeof setTimeout> | null = null;
  private connectTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly messageListeners = new Set<Listener<ServerMessage>>();
  private readonly stateListeners = new Set<Listener<ConnectionState>>();
  private readonly backoff: BackoffOptions;
  private readonly createSocket: SocketFactory;
  private readonly random: () => number;
  private current: ConnectionState = { status: 'idle', attempt: 0, retryInMs: null, lastCloseCode: null };

  constructor(private readonly options: ProtocolClientOptions) {
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.createSocket = options.createSocket ?? browserSocket;
    this.random = options.random ?? Math.random;
  }

  get state(): ConnectionState {
    return this.current;
  }

  /** Opens the socket (no-op when already started). */
  start(): void {
    if (typeof window !== 'undefined') window.addEventListener('online', this.onOnline);
    if (this.current.status === 'idle' || this.current.status === 'stopped') {
      this.setState({ status: 'connecting', attempt: 0, retryInMs: null, lastCloseCode: this.current.lastCloseCode });
      this.open();
    }
  }

  /** Closes the socket for good: no reconnection until `start` again. */
  stop(): void {
    if (typeof window !== 'undefined') window.removeEventListener('online', this.onOnline);
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      this.detach(socket);
      try {
        socket.close(1000, 'client closing');
      } catch {
        /* already closed */
      }
    }
    this.setState({ ...this.current, status: 'stopped', retryInMs: null });
  }

  private readonly onOnline = (): void => this.retryNow();

  /** Try now instead of waiting for the backoff timer (e.g. the browser came back online). */
  retryNow(): void {
    if (this.current.status !== 'reconnecting') return;
    this.clearTimers();
    this.setState({ ...this.current, status: 'connecting', retryInMs: null });
    this.open();
  }

  /** The next sequence number; increasing for the life of the client, across reconnects. */
  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  /** Sends a frame if the socket is open; false (and nothing is kept) otherwise. */
  send(frame: ClientFrame): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN || this.current.status !== 'open') return false;
    try {
      socket.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  onMessage(listener: Listener<ServerMessage>): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  onState(listener: Listener<ConnectionState>): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  private open(): void {
    const url = typeof this.options.url === 'function' ? this.options.url() : this.options.url;
    let socket: SocketLike;
    try {
      socket = this.createSocket(url);
    } catch {
      this.scheduleReconnect(null);
      return;
    }
    this.socket = socket;
    this.connectTimer = setTimeout(() => {
      if (this.socket === socket && this.current.status === 'connecting') {
        this.detach(socket);
        this.socket = null;
        try {
          socket.close();
        } catch {
          /* ignore */
        }
        this.scheduleReconnect(null);
      }
    }, this.options.connectTimeoutMs ?? 10_000);
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.clearTimer('connectTimer');
      this.setState({ ...this.current, status: 'open', retryInMs: null });
      this.stableTimer = setTimeout(() => {
        this.stableTimer = null;
        if (this.socket === socket) this.setState({ ...this.current, attempt: 0 });
      }, this.options.stableAfterMs ?? 5_000);
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket) return;
      const message = parseServerMessage(event.data);
      if (!message) return;
      for (const listener of [...this.messageListeners]) listener(message);
    };
    socket.onerror = () => {
      /* a close event always follows; reconnection happens there */
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.detach(socket);
      this.socket = null;
      this.scheduleReconnect(typeof event?.code === 'number' ? event.code : null);
    };
  }

  private scheduleReconnect(code: number | null): void {
    this.clearTimers();
    const attempt = this.current.attempt;
    // A restarting service (1012) comes back within seconds: the first retry is quick, and later
    // ones back off like any other failure.
    const options = code === CLOSE_SERVICE_RESTART ? { ...this.backoff, baseMs: Math.min(this.backoff.baseMs, 250) } : this.backoff;
    const delay = backoffDelay(attempt, options, this.random);
    this.setState({ status: 'reconnecting', attempt: attempt + 1, retryInMs: delay, lastCloseCode: code });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.setState({ ...this.current, status: 'connecting', retryInMs: null });
      this.open();
    }, delay);
  }

  private detach(socket: SocketLike): void {
    socket.onopen = null;
    socket.onclose = null;
    socket.onmessage = null;
    socket.onerror = null;
  }

  private clearTimer(name: 'retryTimer' | 'stableTimer' | 'connectTimer'): void {
    const timer = this[name];
    if (timer !== null) clearTimeout(timer);
    this[name] = null;
  }

  private clearTimers(): void {
    this.clearTimer('retryTimer');
    this.clearTimer('stableTimer');
    this.clearTimer('connectTimer');
  }

  private setState(next: ConnectionState): void {
    this.current = next;
    for (const listener of [...this.stateListeners]) listener(next);
  }
}
