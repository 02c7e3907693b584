// Feedback (thumbs, comment) and the handoff to a person, through the real components on a
// fake socket: what is shown, what is sent, what the acks change.
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { memoryLocation } from 'wouter/memory-location';
import { describe, expect, it } from 'vitest';
import { App } from '../../../app/App';
import type { Lang } from '../../../i18n';
import type { FinalAnswerMessage } from '../../../lib/protocol';
import { FakeTransport, TD27 } from '../../../test/fakes';
import { ChatController, lockedFromPrediction } from '../model/chat-controller';

function renderChat(initialLang?: Lang) {
  const transport = new FakeTransport();
  const chat = new ChatController(transport, { debounceMs: 150, predictionLimit: 8 });
  const user = userEvent.setup();
  render(<App controller={chat} location={memoryLocation({ path: '/' })} initialLang={initialLang} />);
  act(() => transport.setStatus('open'));
  return { transport, chat, user };
}

/** Picks the TD-27, asks, and finishes the answer with the given final message fields. */
function answer(chat: ChatController, transport: FakeTransport, extra: Partial<FinalAnswerMessage> = {}) {
  act(() => {
    chat.lock(lockedFromPrediction(TD27));
    chat.ask('how do I connect the kick pad?');
  });
  const seq = transport.lastOf('query')!.seq ?? null;
  act(() => {
    transport.emit({ type: 'answer_chunk', content: 'Use the KICK input.' });
    transport.emit({ type: 'final_answer', content: '', sources: [], provider: 'extractive', cached: false, found: true, seq, conversation_id: 'conv-1', answer_id: 'ans-1', ...extra });
  });
  return screen.getAllByTestId('answer').at(-1)!;
}

describe('feedback on an answer', () => {
  it('has labelled thumbs with a pressed state; a rating is sent and thanked for', async () => {
    const { user, transport, chat } = renderChat();
    const bubble = answer(chat, transport);
    const rating = within(bubble).getByRole('group', { name: 'Was this answer helpful?' });
    const up = within(rating).getByRole('button', { name: 'Helpful' });
    const down = within(rating).getByRole('button', { name: 'Not helpful' });
    expect(up).toHaveAttribute('aria-pressed', 'false');
    expect(down).toHaveAttribute('aria-pressed', 'false');

    await user.click(up);
    expect(up).toHaveAttribute('aria-pressed', 'true');
    const frame = transport.lastOf('feedback')!;
    expect(frame).toMatchObject({ type: 'feedback', answer_id: 'ans-1', rating: 'up' });
    expect(within(bubble).getByRole('status')).toHaveTextContent('Sending…');
    act(() => transport.emit({ type: 'feedback_ack', answer_id: 'ans-1', seq: frame.seq }));
    expect(within(bubble).getByRole('status')).toHaveTextContent('Thanks for your feedback!');
    // No comment box and no offer of a person after a thumbs up.
    expect(within(bubble).queryByRole('textbox')).not.toBeInTheDocument();
    expect(within(bubble).queryByRole('button', { name: 'Talk to a person' })).not.toBeInTheDocument();
  });

  it('asks for an optional comment after a down-vote, sends it, and offers a person', async () => {
    const { user, transport, chat } = renderChat();
    const bubble = answer(chat, transport);
    await user.click(within(bubble).getByRole('button', { name: 'Not helpful' }));
    expect(within(bubble).getByRole('button', { name: 'Not helpful' })).toHaveAttribute('aria-pressed', 'true');
    expect(transport.lastOf('feedback')).toMatchObject({ rating: 'down' });
    const box = within(bubble).getByRole('textbox', { name: 'What was wrong or missing? (optional)' });
    expect(box).toHaveAttribute('maxLength', '2000');
    await user.type(box, 'It does not say which cable.');
    expect(within(bubble).getByText('28 of 2000 characters')).toBeInTheDocument();
    await user.click(within(bubble).getByRole('button', { name: 'Send comment' }));
    const frame = transport.lastOf('feedback')!;
    expect(frame).toMatchObject({ answer_id: 'ans-1', rating: 'down', comment: 'It does not say which cable.' });
    act(() => transport.emit({ type: 'feedback_ack', answer_id: 'ans-1', seq: frame.seq }));
    expect(within(bubble).getByRole('status')).toHaveTextContent('Thanks – your comment was sent.');
    expect(within(bubble).queryByRole('textbox')).not.toBeInTheDocument();

    expect(within(bubble).getByText(/A person from our team can take it from here/)).toBeInTheDocument();
    await user.click(within(bubble).getByRole('button', { name: 'Talk to a person' }));
    expect(screen.getByRole('region', { name: 'Talk to a person' })).toBeInTheDocument();
  });

  it('"No thanks" closes the comment box; an error is shown with a retry', async () => {
    const { user, transport, chat } = renderChat();
    const bubble = answer(chat, transport);
    await user.click(within(bubble).getByRole('button', { name: 'Not helpful' }));
    await user.click(within(bubble).getByRole('button', { name: 'No thanks' }));
    expect(within(bubble).queryByRole('textbox')).not.toBeInTheDocument();
    const seq = transport.lastOf('feedback')!.seq!;
    act(() => transport.emit({ type: 'error', code: 'not_found', message: 'No answer with that id.', seq }));
    expect(within(bubble).getByRole('alert')).toHaveTextContent('Your rating could not be saved: No answer with that id.');
    await user.click(within(bubble).getByRole('button', { name: 'Try again' }));
    expect(transport.sent.filter((f) => f.type === 'feedback')).toHaveLength(2);
    expect(within(bubble).queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows no thumbs until the answer is finished', () => {
    const { transport, chat } = renderChat();
    act(() => {
      chat.lock(lockedFromPrediction(TD27));
      chat.ask('q');
      transport.emit({ type: 'answer_chunk', content: 'Partial…' });
    });
    expect(screen.queryByRole('button', { name: 'Helpful' })).not.toBeInTheDocument();
  });
});

describe('handoff to a person', () => {
  it('is offered at once under an answer the manual does not cover', async () => {
    const { user, transport, chat } = renderChat();
    const bubble = answer(chat, transport, { found: false });
    expect(within(bubble).getByText('Would you like a person from our team to help with this?')).toBeInTheDocument();
    await user.click(within(bubble).getByRole('button', { name: 'Talk to a person' }));
    const panel = screen.getByRole('region', { name: 'Talk to a person' });
    // The form is its own chunk, loaded on first use.
    expect(await within(panel).findByRole('textbox', { name: 'Name (optional)' })).toHaveFocus();
    expect(chat.getState().handoff.reason).toBe('not_found');
  });

  it('checks the email and phone, then sends the request with the conversation and shows the ticket', async () => {
    const { user, transport, chat } = renderChat();
    answer(chat, transport);
    const open = screen.getByRole('button', { name: 'Talk to a person', expanded: false });
    await user.click(open);
    expect(open).toHaveAttribute('aria-expanded', 'true');
    const panel = screen.getByRole('region', { name: 'Talk to a person' });
    const email = await within(panel).findByRole('textbox', { name: 'Email (optional)' });
    const phone = within(panel).getByRole('textbox', { name: 'Phone (optional)' });
    await user.type(within(panel).getByRole('textbox', { name: 'Name (optional)' }), 'Dana');
    await user.type(email, 'dana.example.com');
    await user.type(phone, 'call me');
    await user.click(within(panel).getByRole('button', { name: 'Send to our team' }));
    expect(transport.lastOf('handoff')).toBeUndefined();
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(email).toHaveAccessibleDescription('Enter an email address like name@example.com.');
    expect(phone).toHaveAttribute('aria-invalid', 'true');
    expect(phone).toHaveAccessibleDescription(/Enter a phone number/);
    expect(email).toHaveFocus();

    await user.clear(email);
    await user.type(email, 'dana@example.com');
    await user.clear(phone);
    await user.type(phone, '+972 (3) 555-0101');
    expect(email).toHaveAttribute('aria-invalid', 'false');
    await user.type(within(panel).getByRole('textbox', { name: 'Message (optional)' }), 'The kick pad stays silent.');
    await user.click(within(panel).getByRole('button', { name: 'Send to our team' }));
    const frame = transport.lastOf('handoff')!;
    expect(frame).toEqual({
      type: 'handoff',
      conversation_id: 'conv-1',
      message: 'The kick pad stays silent.',
      contact: { name: 'Dana', email: 'dana@example.com', phone: '+972 (3) 555-0101' },
      lang: 'en',
      seq: frame.seq,
    });
    expect(within(panel).getByRole('button', { name: 'Sending…' })).toBeInTheDocument();
    act(() => transport.emit({ type: 'handoff_ack', ticket_id: 'T-2024-0001', seq: frame.seq }));
    expect(within(panel).getByRole('status')).toHaveTextContent('Thanks! Your request was sent to our team. Your ticket number is T-2024-0001.');
    await user.click(within(panel).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('region', { name: 'Talk to a person' })).not.toBeInTheDocument();
  });

  it('works before any answer (a conversation id made up here); shows errors; Escape closes', async () => {
    const { user, transport } = renderChat();
    await user.click(screen.getByRole('button', { name: 'Talk to a person' }));
    const panel = screen.getByRole('region', { name: 'Talk to a person' });
    expect(await within(panel).findByText('Leave an email or a phone number so we can get back to you.')).toBeInTheDocument();
    await user.click(within(panel).getByRole('button', { name: 'Send to our team' }));
    const frame = transport.lastOf('handoff')!;
    expect(frame.conversation_id).toMatch(/^[A-Za-z0-9_.-]{1,64}$/);
    expect(frame).not.toHaveProperty('contact');
    act(() => transport.emit({ type: 'error', code: 'rate_limited', message: 'Too many messages; please slow down.', seq: frame.seq }));
    expect(within(panel).getByRole('alert')).toHaveTextContent('Your request could not be sent: Too many messages; please slow down.');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('region', { name: 'Talk to a person' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Talk to a person' })).toHaveFocus();
  });

  it('speaks Hebrew', async () => {
    const { user, transport, chat } = renderChat('he');
    const bubble = answer(chat, transport, { found: false });
    expect(within(bubble).getByRole('button', { name: 'מועיל' })).toBeInTheDocument();
    await user.click(screen.getAllByRole('button', { name: 'שיחה עם נציג' })[0]!);
    expect(screen.getByRole('region', { name: 'שיחה עם נציג' })).toBeInTheDocument();
    await user.click(await screen.findByRole('button', { name: 'שליחה לצוות' }));
    expect(transport.lastOf('handoff')).toMatchObject({ lang: 'he' });
  });
});
