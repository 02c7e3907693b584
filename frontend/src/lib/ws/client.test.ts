import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSocket } from '../../test/fakes';
import { backoffDelay } from './backoff';
import { ProtocolClient, type ConnectionState } from './client';

const noJitter = { baseMs: 100, maxMs: 1000, factor: 2, jitter: 0 };
const clients: ProtocolClient[] = [];

function makeClient(extra: Partial<ConstructorParameters<typeof ProtocolClient>[0]> = {}) {
  const states: ConnectionState[] = [];
  const client = new ProtocolClient({
    url: 'ws://test/ws',
    createSocket: (url) => new FakeSocket(url),
    backoff: noJitter,
    stableAfterMs: 1000,
    ...extra,
  });
  client.onState((s) => states.push(s));
  clients.push(client);
  return { client, states };
}

describe('backoffDelay', () => {
  it('grows exponentially up to the cap, with jitter below the nominal delay', () => {
    const delays = [0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, noJitter));
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
    const jittered = backoffDelay(2, { ...noJitter, jitter: 0.5 }, () => 1);
    expect(jittered).toBe(200);
    expect(backoffDelay(2, { ...noJitter, jitter: 0.5 }, () => 0)).toBe(400);
  });
});

describe('ProtocolClient', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.reset();
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.stop();
    vi.useRealTimers();
  });

  it('connects, sends frames while open and parses what arrives', () => {
    const { client } = makeClient();
    const received: unknown[] = [];
    client.onMessage((m) => received.push(m));
    client.start();
    expect(client.state.status).toBe('connecting');
    const socket = FakeSocket.last();
    socket.open();
    expect(client.state.status).toBe('open');
    expect(client.send({ type: 'ping', seq: client.nextSeq() })).toBe(true);
    expect(socket.frames()).toEqual([{ type: 'ping', seq: 1 }]);
    socket.receive({ type: 'pong', seq: 1 });
    socket.receive('garbage');
    socket.receive({ type: 'unknown' });
    expect(received).toEqual([{ type: 'pong', seq: 1 }]);
  });

  it('queues nothing: a frame sent while not open is refused and never sent later', () => {
    const { client } = makeClient();
    client.start();
    expect(client.send({ type: 'typing', content: 'old', seq: client.nextSeq() })).toBe(false);
    FakeSocket.last().open();
    expect(FakeSocket.last().sent).toEqual([]);
  });

  it('reconnects with exponential backoff after drops, and resets once stable', () => {
    const { client, states } = makeClient();
    client.start();
    FakeSocket.last().drop(1006);
    expect(client.state).toMatchObject({ status: 'reconnecting', attempt: 1, retryInMs: 100, lastCloseCode: 1006 });
    vi.advanceTimersByTime(99);
    expect(FakeSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.instances).toHaveLength(2);
    FakeSocket.last().drop(1006); // failed again before opening
    expect(client.state.retryInMs).toBe(200);
    vi.advanceTimersByTime(200);
    FakeSocket.last().open();
    FakeSocket.last().drop(1006); // open but not yet stable: still backing off
    expect(client.state.retryInMs).toBe(400);
    vi.advanceTimersByTime(400);
    FakeSocket.last().open();
    vi.advanceTimersByTime(1000); // stable
    expect(client.state.attempt).toBe(0);
    FakeSocket.last().drop(1006);
    expect(client.state.retryInMs).toBe(100);
    expect(states.map((s) => s.status)).toContain('reconnecting');
  });

  it('comes back quickly after close code 1012 (service restart)', () => {
    const { client } = makeClient({ backoff: { ...noJitter, baseMs: 1000, maxMs: 30_000 } });
    client.start();
    FakeSocket.last().open();
    FakeSocket.last().drop(1012);
    expect(client.state).toMatchObject({ status: 'reconnecting', lastCloseCode: 1012, retryInMs: 250 });
    vi.advanceTimersByTime(250);
    expect(FakeSocket.instances).toHaveLength(2);
    FakeSocket.last().open();
    expect(client.state.status).toBe('open');
  });

  it('gives up on a socket stuck connecting, and retries', () => {
    const { client } = makeClient({ connectTimeoutMs: 500 });
    client.start();
    vi.advanceTimersByTime(500);
    expect(FakeSocket.instances[0]?.closedWith).toBeDefined();
    expect(client.state.status).toBe('reconnecting');
    vi.advanceTimersByTime(100);
    expect(FakeSocket.instances).toHaveLength(2);
  });

  it('stops for good on stop(), ignoring late events of the old socket', () => {
    const { client } = makeClient();
    const received: unknown[] = [];
    client.onMessage((m) => received.push(m));
    client.start();
    const socket = FakeSocket.last();
    socket.open();
    client.stop();
    expect(socket.closedWith).toBe(1000);
    socket.receive({ type: 'pong', seq: 1 });
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.instances).toHaveLength(1);
    expect(received).toEqual([]);
    expect(client.state.status).toBe('stopped');
  });

  it('retries at once when the browser comes back online', () => {
    const { client } = makeClient({ backoff: { ...noJitter, baseMs: 10_000, maxMs: 10_000 } });
    client.start();
    FakeSocket.last().drop(1006);
    window.dispatchEvent(new Event('online'));
    expect(FakeSocket.instances).toHaveLength(2);
    expect(client.state.status).toBe('connecting');
    client.stop();
  });

  it('keeps sequence numbers increasing across reconnects', () => {
    const { client } = makeClient();
    client.start();
    const a = client.nextSeq();
    FakeSocket.last().drop();
    vi.advanceTimersByTime(100);
    expect(client.nextSeq()).toBe(a + 1);
  });
});
