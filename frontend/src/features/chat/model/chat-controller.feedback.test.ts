// Conversations, feedback and handoff in the chat controller (PROTOCOL.md "Conversations,
// feedback and handoff"): the ids the server hands out, the frames sent, the acks matched.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FinalAnswerMessage } from '../../../lib/protocol';
import { FakeTransport, TD17, TD27 } from '../../../test/fakes';
import { ChatController, localConversationId, lockedFromPrediction, type AnswerMessage } from './chat-controller';

function setup() {
  const transport = new FakeTransport();
  const chat = new ChatController(transport, { debounceMs: 150, predictionLimit: 8, answerTimeoutMs: 60_000, ackTimeoutMs: 5000 });
  chat.start();
  transport.setStatus('open');
  transport.sent = [];
  return { transport, chat };
}

const lastAnswer = (chat: ChatController) => chat.getState().messages.at(-1) as AnswerMessage;

function final(seq: number | null, extra: Partial<FinalAnswerMessage> = {}): FinalAnswerMessage {
  return { type: 'final_answer', content: 'ok', sources: [], provider: 'extractive', cached: false, found: true, seq, conversation_id: 'conv-1', answer_id: 'ans-1', ...extra };
}

/** Asks and lets the server finish the answer; returns the query frame sent. */
function askAndFinish(chat: ChatController, transport: FakeTransport, question: string, extra: Partial<FinalAnswerMessage> = {}) {
  expect(chat.ask(question)).toBe('sent');
  const query = transport.lastOf('query')!;
  transport.emit(final(query.seq ?? null, extra));
  return query;
}

describe('ChatController: conversations', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('starts without an id, then sends the server’s conversation_id with follow-ups', () => {
    const { transport, chat } = setup();
    chat.lock(lockedFromPrediction(TD27));
    const first = askAndFinish(chat, transport, 'how do I connect the kick pad?');
    expect(first).not.toHaveProperty('conversation_id');
    expect(chat.getState().conversation).toEqual({ id: 'conv-1', productId: 'roland-td27kv' });
    expect(lastAnswer(chat)).toMatchObject({ answerId: 'ans-1', conversationId: 'conv-1', state: 'done' });

    const second = askAndFinish(chat, transport, 'and the hi-hat?', { answer_id: 'ans-2' });
    expect(second).toMatchObject({ type: 'query', query: 'and the hi-hat?', conversation_id: 'conv-1' });
    expect(lastAnswer(chat)).toMatchObject({ answerId: 'ans-2', conversationId: 'conv-1' });
  });

  it('keeps the conversation from an error that ends a query', () => {
    const { transport, chat } = setup();
    chat.lock(lockedFromPrediction(TD27));
    chat.ask('q');
    const seq = transport.lastOf('query')!.seq!;
    transport.emit({ type: 'error', code: 'document_unavailable', message: 'No manual.', seq, conversation_id: 'conv-9', answer_id: 'ans-9' });
    expect(lastAnswer(chat)).toMatchObject({ state: 'error', answerId: 'ans-9' });
    chat.ask('again');
    expect(transport.lastOf('query')).toMatchObject({ conversation_id: 'conv-9' });
  });

  it('starts a new conversation when another product is picked, and carries on with the same one', () => {
    const { transport, chat } = setup();
    chat.lock(lockedFromPrediction(TD27));
    askAndFinish(chat, transport, 'q1');
    chat.unlock();
    chat.lock(lockedFromPrediction(TD27)); // the same product again: the same conversation
    askAndFinish(chat, transport, 'q2', { answer_id: 'ans-2' });
    expect(transport.lastOf('query')).toMatchObject({ conversation_id: 'conv-1' });

    chat.lock(lockedFromPrediction(TD17));
    expect(chat.getState().conversation).toBeNull();
    chat.ask('q3');
    expect(transport.lastOf('query')).not.toHaveProperty('conversation_id');
  });

  it('does not let a late answer about the old product restart its conversation', () => {
    const { transport, chat } = setup();
    chat.lock(lockedFromPrediction(TD27));
    chat.ask('q1');
    const seq = transport.lastOf('query')!.seq!;
    chat.lock(lockedFromPrediction(TD17)); // picked while the TD-27 answer streams
    transport.emit(final(seq));
    expect(chat.getState().conversation).toBeNull();
  });
});

describe('ChatController: feedback', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function answered() {
    const { transport, chat } = setup();
    chat.lock(lockedFromPrediction(TD27));
    askAndFinish(chat, transport, 'q');
    return { transport, chat };
  }

  it('sends a rating as a feedback frame and marks it sent on feedback_ack', () => {
    const { transport, chat } = answered();
    expect(chat.rate('ans-1', 'up')).toBe('sent');
    const frame = transport.lastOf('feedback')!;
    expect(frame).toEqual({ type: 'feedback', answer_id: 'ans-1', rating: 'up', seq: frame.seq });
    expect(lastAnswer(chat).feedback).toMatchObject({ rating: 'up', status: 'sending' });
    transport.emit({ type: 'feedback_ack', answer_id: 'ans-1', seq: frame.seq });
    expect(lastAnswer(chat).feedback).toEqual({ rating: 'up', comment: null, status: 'sent', error: null });
  });

  it('sends a down-vote, then its comment (trimmed, at most 2000 characters)', () => {
    const { transport, chat } = answered();
    chat.rate('ans-1', 'down');
    const vote = transport.lastOf('feedback')!;
    expect(vote).not.toHaveProperty('comment');
    chat.rate('ans-1', 'down', `  ${'x'.repeat(2100)}  `);
    const comment = transport.lastOf('feedback')!;
    expect(comment).toMatchObject({ rating: 'down', comment: 'x'.repeat(2000) });
    // The ack of the replaced rating changes nothing; the comment's ack does.
    transport.emit({ type: 'feedback_ack', answer_id: 'ans-1', seq: vote.seq });
    expect(lastAnswer(chat).feedback?.status).toBe('sending');
    transport.emit({ type: 'feedback_ack', answer_id: 'ans-1', seq: comment.seq });
    expect(lastAnswer(chat).feedback).toMatchObject({ rating: 'down', status: 'sent', comment: 'x'.repeat(2000) });
  });

  it('shows the server’s error for a rating (matched by seq, or by answer_id)', () => {
    const { transport, chat } = answered();
    chat.rate('ans-1', 'up');
    const seq = transport.lastOf('feedback')!.seq!;
    transport.emit({ type: 'error', code: 'not_found', message: 'No answer with that id.', seq });
    expect(lastAnswer(chat).feedback).toMatchObject({ status: 'error', error: { kind: 'server', message: 'No answer with that id.' } });
    expect(chat.getState().alert).toBeNull();

    chat.rate('ans-1', 'down');
    transport.emit({ type: 'error', code: 'rate_limited', message: 'Slow down.', answer_id: 'ans-1' });
    expect(lastAnswer(chat).feedback).toMatchObject({ rating: 'down', status: 'error', error: { kind: 'server', message: 'Slow down.' } });
  });

  it('fails a rating offline, on a dropped connection, or with no ack in time', () => {
    const { transport, chat } = answered();
    chat.rate('ans-1', 'up');
    vi.advanceTimersByTime(5000);
    expect(lastAnswer(chat).feedback).toMatchObject({ status: 'error', error: { kind: 'timeout' } });
    chat.rate('ans-1', 'up');
    transport.setStatus('reconnecting');
    expect(lastAnswer(chat).feedback).toMatchObject({ status: 'error', error: { kind: 'dropped' } });
    expect(chat.rate('ans-1', 'down')).toBe('offline');
    expect(lastAnswer(chat).feedback).toMatchObject({ rating: 'down', status: 'error', error: { kind: 'offline' } });
    expect(chat.rate('no-such-answer', 'up')).toBe('unknown');
  });
});

describe('ChatController: handoff', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('opens and closes the form, remembering why it was offered', () => {
    const { chat } = setup();
    expect(chat.getState().handoff.open).toBe(false);
    chat.openHandoff('not_found');
    expect(chat.getState().handoff).toMatchObject({ open: true, reason: 'not_found', status: 'idle' });
    chat.closeHandoff();
    expect(chat.getState().handoff.open).toBe(false);
  });

  it('sends the conversation, the message and the filled-in contact fields; shows the ticket on handoff_ack', () => {
    const { transport, chat } = setup();
    chat.lock(lockedFromPrediction(TD27));
    askAndFinish(chat, transport, 'q', { found: false });
    chat.openHandoff('not_found');
    expect(chat.requestHandoff({ message: '  Please call me. ', contact: { name: ' Dana ', email: 'dana@example.com', phone: '  ' } })).toBe('sent');
    const frame = transport.lastOf('handoff')!;
    expect(frame).toEqual({
      type: 'handoff',
      conversation_id: 'conv-1',
      message: 'Please call me.',
      contact: { name: 'Dana', email: 'dana@example.com' },
      lang: 'en',
      seq: frame.seq,
    });
    expect(chat.getState().handoff.status).toBe('sending');
    expect(chat.requestHandoff({ message: '', contact: {} })).toBe('busy');
    transport.emit({ type: 'handoff_ack', ticket_id: 'T-42', seq: frame.seq });
    expect(chat.getState().handoff).toMatchObject({ open: true, status: 'sent', ticketId: 'T-42', error: null });
    expect(chat.getState().messages.at(-1)).toMatchObject({ kind: 'notice', text: 'Your request for a person was sent (ticket T-42).' });
  });

  it('makes up a conversation id when there is none yet, and keeps it for a retry', () => {
    const { transport, chat } = setup();
    chat.requestHandoff({ message: 'Help', contact: {} });
    const first = transport.lastOf('handoff')!;
    expect(first.conversation_id).toMatch(/^[A-Za-z0-9_.-]{1,64}$/);
    expect(first).not.toHaveProperty('contact');
    transport.emit({ type: 'error', code: 'invalid_message', message: "Invalid 'contact.email'.", seq: first.seq });
    expect(chat.getState().handoff).toMatchObject({ status: 'error', error: { kind: 'server', message: "Invalid 'contact.email'." } });
    chat.requestHandoff({ message: 'Help', contact: {} });
    expect(transport.lastOf('handoff')!.conversation_id).toBe(first.conversation_id);
    expect(localConversationId(() => 0.5)).toMatch(/^[A-Za-z0-9_.-]{1,64}$/);
  });

  it('fails a handoff offline or without an ack', () => {
    const { transport, chat } = setup();
    chat.requestHandoff({ message: 'Help', contact: {} });
    vi.advanceTimersByTime(5000);
    expect(chat.getState().handoff).toMatchObject({ status: 'error', error: { kind: 'timeout' } });
    transport.setStatus('reconnecting');
    expect(chat.requestHandoff({ message: 'Help', contact: {} })).toBe('offline');
    expect(chat.getState().handoff).toMatchObject({ status: 'error', error: { kind: 'offline' } });
  });
});
