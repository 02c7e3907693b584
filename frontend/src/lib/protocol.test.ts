import { describe, expect, it } from 'vitest';
import { asText, parseErrorResponse, parseServerMessage, productImage } from './protocol';

describe('parseServerMessage', () => {
  it('drops what is not JSON or not a known message', () => {
    expect(parseServerMessage('not json')).toBeNull();
    expect(parseServerMessage('[1,2]')).toBeNull();
    expect(parseServerMessage(JSON.stringify({ type: 'mystery' }))).toBeNull();
    expect(parseServerMessage(42)).toBeNull();
  });

  it('reads a prediction and keeps only well-formed items', () => {
    const message = parseServerMessage(
      JSON.stringify({
        type: 'prediction',
        seq: 3,
        query: 'td27',
        data: [
          { product: { id: 'roland-td27kv', name: 'Roland TD-27KV', brand: 'roland', images: { thumbnail: 't.png', main: 'm.png' } }, brand: { id: 'roland', name: 'Roland', hq: '' }, context: { related_items: [] }, confidence: 140 },
          { product: { name: 'no id' } },
          'junk',
        ],
      }),
    );
    expect(message?.type).toBe('prediction');
    if (message?.type !== 'prediction') return;
    expect(message.seq).toBe(3);
    expect(message.data).toHaveLength(1);
    expect(message.data[0]?.confidence).toBe(100);
    expect(productImage(message.data[0]!.product)).toBe('t.png');
  });

  it('turns stray objects in text fields into text, never JSON', () => {
    const message = parseServerMessage(JSON.stringify({ type: 'error', message: { nested: true }, code: 'internal' }));
    expect(message).toEqual({ type: 'error', message: 'Something went wrong.', code: 'internal', seq: null });
    expect(asText({ a: 1 })).toBe('');
    expect(asText(12)).toBe('12');
  });

  it('reads context sources and final answers', () => {
    const context = parseServerMessage(
      JSON.stringify({ type: 'context', data: { sources: [{ page: 12, url: 'http://x/m.pdf', title: 'Manual' }, { page: 3 }], related_items: [{ id: 'a', name: 'A' }] } }),
    );
    expect(context).toMatchObject({ type: 'context', data: { sources: [{ page: 12, url: 'http://x/m.pdf' }], related_items: [{ id: 'a' }] } });
    const final = parseServerMessage(JSON.stringify({ type: 'final_answer', content: '', sources: [], cached: true, found: false, seq: 9 }));
    expect(final).toMatchObject({ type: 'final_answer', cached: true, found: false, seq: 9 });
  });
});

describe('conversations, feedback and handoff', () => {
  it('reads the ids of a final answer and an error, and the acks', () => {
    const final = parseServerMessage(JSON.stringify({ type: 'final_answer', content: '', sources: [], cached: false, found: true, seq: 2, conversation_id: 'c-1', answer_id: 'a-1' }));
    expect(final).toMatchObject({ conversation_id: 'c-1', answer_id: 'a-1' });
    const error = parseServerMessage(JSON.stringify({ type: 'error', code: 'not_found', message: 'No such answer.', seq: 3, answer_id: 'a-9' }));
    expect(error).toEqual({ type: 'error', code: 'not_found', message: 'No such answer.', seq: 3, answer_id: 'a-9' });
    expect(parseServerMessage(JSON.stringify({ type: 'feedback_ack', answer_id: 'a-1', seq: 4 }))).toEqual({ type: 'feedback_ack', answer_id: 'a-1', seq: 4 });
    expect(parseServerMessage(JSON.stringify({ type: 'handoff_ack', ticket_id: 'T-1' }))).toEqual({ type: 'handoff_ack', ticket_id: 'T-1', seq: null });
  });
});

describe('contract defaults', () => {
  it('gives what a frame lacks a harmless value of the generated type', () => {
    const context = parseServerMessage(JSON.stringify({ type: 'context', data: { scenario: 'backstage', related_items: [{ id: 'a', name: 'A', type: 'mystery' }] } }));
    expect(context).toMatchObject({ type: 'context', data: { brand: { id: '', hq: '' }, scenario: 'general', related_items: [{ id: 'a', type: 'related' }], sources: [] } });
    const error = parseServerMessage(JSON.stringify({ type: 'error', message: 'Nope.', code: 'made_up' }));
    expect(error).toEqual({ type: 'error', message: 'Nope.', code: 'internal', seq: null });
  });
});

describe('parseErrorResponse', () => {
  it('reads the HTTP error body and nothing else', () => {
    expect(parseErrorResponse({ error: { code: 'not_found', message: 'Not Found' } })).toEqual({ code: 'not_found', message: 'Not Found' });
    expect(parseErrorResponse({ detail: 'Not Found' })).toBeNull();
    expect(parseErrorResponse({ error: 'rate_limited' })).toBeNull();
    expect(parseErrorResponse({ error: { code: 'teapot', message: 'x' } })).toBeNull();
  });
});
