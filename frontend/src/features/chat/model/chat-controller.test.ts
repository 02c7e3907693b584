import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeTransport, relatedItem, ROLAND, TD17, TD27 } from '../../../test/fakes';
import { ChatController, DROPPED_MESSAGE, lockedFromPrediction, TIMEOUT_MESSAGE, type AnswerMessage } from './chat-controller';

function setup() {
  const transport = new FakeTransport();
  const chat = new ChatController(transport, { debounceMs: 150, predictionLimit: 8, answerTimeoutMs: 5000 });
  chat.start();
  transport.setStatus('open');
  transport.sent = []; // the initial empty typing frame
  return { transport, chat };
}

const lastAnswer = (chat: ChatController) => chat.getState().messages.at(-1) as AnswerMessage;

describe('ChatController', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asks for the catalog sample when the socket opens', () => {
    const transport = new FakeTransport();
    const chat = new ChatController(transport, { debounceMs: 150, predictionLimit: 8 });
    chat.start();
    transport.setStatus('open');
    expect(transport.sent).toEqual([{ type: 'typing', content: '', seq: 1, limit: 8 }]);
  });

  it('debounces typing at 150 ms and numbers each frame', () => {
    const { transport, chat } = setup();
    chat.typed('r');
    vi.advanceTimersByTime(100);
    chat.typed('ro');
    vi.advanceTimersByTime(100);
    chat.typed('rolnd');
    vi.advanceTimersByTime(149);
    expect(transport.sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(transport.sent).toEqual([{ type: 'typing', content: 'rolnd', seq: 2, limit: 8 }]);
    chat.typed('rolnd td27');
    vi.advanceTimersByTime(150);
    expect(transport.sent.map((f) => f.seq)).toEqual([2, 3]);
  });

  it('drops predictions that answer an older typing frame', () => {
    const { transport, chat } = setup();
    chat.typed('rolnd');
    vi.advanceTimersByTime(150); // seq 2
    chat.typed('rolnd td27');
    vi.advanceTimersByTime(150); // seq 3
    transport.emit({ type: 'prediction', data: [TD27], seq: 3, query: 'rolnd td27' });
    transport.emit({ type: 'prediction', data: [TD17], seq: 2, query: 'rolnd' }); // late, older
    expect(chat.getState().predictions.map((p) => p.product.id)).toEqual(['roland-td27kv']);
    expect(chat.getState().predictionsFor).toBe('rolnd td27');
  });

  it('locks a product, ignores late predictions, and sends the question with the scenario', () => {
    const { transport, chat } = setup();
    chat.typed('td27');
    vi.advanceTimersByTime(150);
    transport.emit({ type: 'prediction', data: [TD27], seq: 2, query: 'td27' });
    chat.lock(lockedFromPrediction(TD27));
    transport.emit({ type: 'prediction', data: [TD17], seq: 2, query: 'td27' });
    expect(chat.getState().predictions).toEqual([]);
    chat.typed('how do I'); // no typing frames while a product is locked
    vi.advanceTimersByTime(500);
    chat.setScenario('live');
    expect(chat.ask('  how do I connect headphones ')).toBe('sent');
    expect(transport.lastOf('query')).toEqual({
      type: 'query',
      product_id: 'roland-td27kv',
      query: 'how do I connect headphones',
      scenario: 'live',
      seq: 3,
      lang: 'en',
    });
    expect(transport.sent.filter((f) => f.type === 'typing')).toHaveLength(1);
  });

  it('streams an answer: status, chunks, context, final', () => {
    const { transport, chat } = setup();
    chat.lock(lockedFromPrediction(TD27));
    chat.ask('headphones?');
    transport.emit({ type: 'status', msg: 'Reading Official Manual...' });
    expect(lastAnswer(chat).status).toBe('Reading Official Manual...');
    transport.emit({ type: 'answer_chunk', content: 'Use the PHONES jack.' });
    transport.emit({ type: 'answer_chunk', content: '[MANUAL: page 12]' });
    expect(lastAnswer(chat).chunks).toEqual(['Use the PHONES jack.', '[MANUAL: page 12]']);
    transport.emit({
      type: 'context',
      data: { brand: ROLAND, related_items: [relatedItem('x', 'X')], scenario: 'general', sources: [{ page: 12, url: 'http://m/td27.pdf', title: 'TD-27' }] },
    });
    transport.emit({ type: 'final_answer', content: '', sources: [{ page: 12, url: 'http://m/td27.pdf', title: 'TD-27' }], provider: 'extractive', cached: false, found: true, seq: 2, conversation_id: 'c1', answer_id: 'a1' });
    const answer = lastAnswer(chat);
    expect(answer.state).toBe('done');
    expect(answer.status).toBeNull();
    expect(answer.sources).toHaveLength(1);
    expect(answer.relatedItems.map((r) => r.id)).toEqual(['x']);
    expect(chat.getState().pending).toBeNull();
    // Frames after the end belong to no question: dropped.
    transport.emit({ type: 'answer_chunk', content: 'stray' });
    expect(lastAnswer(chat).chunks).toHaveLength(2);
  });

  it('uses final_answer.content when no chunks came', () => {
    const { transport, chat } = setup();
    chat.lock(lockedFromPrediction(TD27));
    chat.ask('q');
    transport.emit({ type: 'final_answer', content: 'All in one.', sources: [], provider: 'extractive', cached: true, found: false, seq: 2, conversation_id: 'c1', answer_id: 'a1' });
    expect(lastAnswer(chat)).toMatchObject({ chunks: ['All in one.'], cached: true, found: false, state: 'done' });
  });

  it('shows errors as readable messages', () => {
    const { transport, chat } = setup();
    chat.lock(lockedFromPrediction(TD27));
    chat.ask('q');
    transport.emit({ type: 'error', message: 'The manual is not available right now.', code: 'document_unavailable', seq: 2 });
    expect(lastAnswer(chat)).toMatchObject({ state: 'error', error: 'The manual is not available right now.' });
    transport.emit({ type: 'error', message: 'Too many messages; please slow down.', code: 'rate_limited', seq: null });
    expect(chat.getState().alert).toBe('Too many messages; please slow down.');
  });

  it('allows one question at a time and none while offline', () => {
    const { transport, chat } = setup();
    expect(chat.ask('q')).toBe('no-product');
    chat.lock(lockedFromPrediction(TD27));
    expect(chat.ask('   ')).toBe('empty');
    expect(chat.ask('q')).toBe('sent');
    expect(chat.ask('again')).toBe('busy');
    transport.emit({ type: 'final_answer', content: 'ok', sources: [], provider: 'extractive', cached: false, found: true, seq: 2, conversation_id: 'c1', answer_id: 'a1' });
    transport.setStatus('reconnecting');
    expect(chat.ask('q')).toBe('offline');
    expect(chat.getState().messages).toHaveLength(2);
  });

  it('ends an answer cut off by a dropped connection, and re-sends the box when back', () => {
    const { transport, chat } = setup();
    chat.typed('rolnd');
    transport.setStatus('reconnecting');
    vi.advanceTimersByTime(150); // typed while offline: not sent, not queued
    expect(transport.sent).toEqual([]);
    transport.setStatus('open');
    expect(transport.sent).toEqual([{ type: 'typing', content: 'rolnd', seq: 3, limit: 8 }]);

    chat.lock(lockedFromPrediction(TD27));
    chat.ask('q');
    transport.setStatus('reconnecting');
    expect(lastAnswer(chat)).toMatchObject({ state: 'error', error: DROPPED_MESSAGE });
    transport.setStatus('open');
    expect(transport.sent.at(-1)?.type).toBe('query'); // locked: no typing frame, and the question is not replayed
  });

  it('gives up on an answer that never ends', () => {
    const { chat } = setup();
    chat.lock(lockedFromPrediction(TD27));
    chat.ask('q');
    vi.advanceTimersByTime(5000);
    expect(lastAnswer(chat)).toMatchObject({ state: 'error', error: TIMEOUT_MESSAGE });
  });

  it('unlocking asks for predictions again', () => {
    const { transport, chat } = setup();
    chat.lock(lockedFromPrediction(TD27));
    chat.unlock();
    expect(chat.getState().locked).toBeNull();
    expect(transport.lastOf('typing')).toMatchObject({ content: '' });
  });
});
