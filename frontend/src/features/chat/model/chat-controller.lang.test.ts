import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeTransport, TD27 } from '../../../test/fakes';
import { ChatController, lockedFromPrediction, type AnswerMessage } from './chat-controller';

const lastAnswer = (chat: ChatController) => chat.getState().messages.at(-1) as AnswerMessage;

describe('ChatController: language and brand', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends the language with each question and words its own texts in it', () => {
    const transport = new FakeTransport();
    const chat = new ChatController(transport, { debounceMs: 150, predictionLimit: 8, answerTimeoutMs: 1000 });
    chat.start();
    transport.setStatus('open');
    chat.setLang('he');
    chat.lock(lockedFromPrediction(TD27));
    expect(chat.ask('איך מחברים אוזניות?')).toBe('sent');
    expect(transport.lastOf('query')).toMatchObject({ lang: 'he', query: 'איך מחברים אוזניות?' });
    expect(lastAnswer(chat).status).toBe('שולחים את השאלה…');
    vi.advanceTimersByTime(1000);
    expect(lastAnswer(chat)).toMatchObject({ state: 'error', error: 'התשובה מתעכבת. נסו שוב בעוד רגע.' });
  });

  it('predicts within one brand when given one (the widget\u2019s data-brand)', () => {
    const transport = new FakeTransport();
    const chat = new ChatController(transport, { debounceMs: 150, predictionLimit: 8, brand: 'roland' });
    chat.start();
    transport.setStatus('open');
    chat.typed('fp30');
    vi.advanceTimersByTime(150);
    expect(transport.sent.filter((f) => f.type === 'typing').every((f) => f.type === 'typing' && f.brand === 'roland')).toBe(true);
    expect(transport.lastOf('typing')).toMatchObject({ content: 'fp30', brand: 'roland' });
  });
});
