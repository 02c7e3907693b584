import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { memoryLocation } from 'wouter/memory-location';
import { describe, expect, it } from 'vitest';
import { App } from '../../../app/App';
import { FakeTransport, relatedItem, ROLAND, TD17, TD27 } from '../../../test/fakes';
import { ChatController } from '../model/chat-controller';

function renderChat() {
  const transport = new FakeTransport();
  const chat = new ChatController(transport, { debounceMs: 150, predictionLimit: 8 });
  const location = memoryLocation({ path: '/' });
  const user = userEvent.setup();
  render(<App controller={chat} location={location} />);
  act(() => transport.setStatus('open'));
  return { transport, chat, user, location };
}

async function typeAndPredict(user: ReturnType<typeof userEvent.setup>, transport: FakeTransport, text: string) {
  const input = screen.getByRole('combobox', { name: 'Find your product' });
  await user.type(input, text);
  await waitFor(() => expect(transport.lastOf('typing')?.content).toBe(text));
  const seq = transport.lastOf('typing')!.seq ?? null;
  act(() => transport.emit({ type: 'prediction', data: [TD27, TD17], seq, query: text }));
  return input;
}

async function pickTd27(user: ReturnType<typeof userEvent.setup>, transport: FakeTransport) {
  await typeAndPredict(user, transport, 'rolnd td27');
  await user.keyboard('{Enter}');
  return screen.getByRole('textbox', { name: 'Your question about Roland TD-27KV V-Drums' });
}

describe('chat', () => {
  it('shows the connection state', () => {
    renderChat();
    expect(screen.getByText('Connected')).toBeInTheDocument();
  });

  it('predicts as you type and lets you pick with the keyboard (ARIA combobox)', async () => {
    const { user, transport } = renderChat();
    const input = await typeAndPredict(user, transport, 'rolnd td27');
    expect(input).toHaveAttribute('aria-expanded', 'true');
    const listbox = screen.getByRole('listbox', { name: 'Matching products' });
    const options = within(listbox).getAllByRole('option');
    expect(options).toHaveLength(2);
    expect(options[0]).toHaveTextContent('Roland TD-27KV V-Drums');
    expect(options[0]).toHaveTextContent('Electronic Drums');
    expect(options[0]).toHaveTextContent('92%');
    expect(input).toHaveAttribute('aria-activedescendant', options[0]!.id);
    await user.keyboard('{ArrowDown}');
    expect(input).toHaveAttribute('aria-activedescendant', options[1]!.id);
    expect(options[1]).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{ArrowDown}'); // wraps
    expect(input).toHaveAttribute('aria-activedescendant', options[0]!.id);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
    await user.keyboard('{ArrowDown}');
    await user.keyboard('{Enter}');
    expect(screen.getByTestId('product-chip')).toHaveTextContent('Roland TD-27KV V-Drums');
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: /Your question about Roland TD-27KV/ })).toHaveFocus();
  });

  it('picks a card with a click, and the chip can be removed', async () => {
    const { user, transport } = renderChat();
    await typeAndPredict(user, transport, 'td17');
    await user.click(screen.getByRole('option', { name: /TD-17KVX/ }));
    expect(screen.getByTestId('product-chip')).toHaveTextContent('Roland TD-17KVX Gen 2');
    await user.click(screen.getByRole('button', { name: /Remove Roland TD-17KVX Gen 2/ }));
    expect(screen.queryByTestId('product-chip')).not.toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Find your product' })).toHaveFocus();
  });

  it('streams an answer and renders its markers as chips and cards', async () => {
    const { user, transport } = renderChat();
    await pickTd27(user, transport);
    await user.keyboard('how do I connect headphones{Enter}');
    const query = transport.lastOf('query');
    expect(query).toMatchObject({ type: 'query', product_id: 'roland-td27kv', query: 'how do I connect headphones', scenario: 'general' });

    act(() => transport.emit({ type: 'status', msg: 'Reading Official Manual...' }));
    expect(screen.getByTestId('answer-status')).toHaveTextContent('Reading Official Manual...');
    act(() => {
      transport.emit({ type: 'answer_chunk', content: 'Connect your headphones to the PHONES jack.' });
      transport.emit({ type: 'answer_chunk', content: '[MANUAL: page 12]' });
    });
    const chip = screen.getByRole('link', { name: /^Manual, page 12/ });
    expect(chip).toHaveAttribute('href', 'http://manuals.test/roland-td27kv.pdf#page=12');
    act(() => {
      transport.emit({ type: 'answer_chunk', content: '[SUGGESTION: Roland RH-300 Headphones]' });
      transport.emit({ type: 'answer_chunk', content: '[PRO TIP: Lower the volume before you put them on.]' });
      transport.emit({
        type: 'context',
        data: {
          brand: ROLAND,
          related_items: [relatedItem('roland-rh300', 'Roland RH-300 Headphones')],
          scenario: 'general',
          sources: [{ page: 12, url: 'http://server/manuals/td27.pdf', title: 'TD-27 Owner’s Manual' }],
        },
      });
      transport.emit({ type: 'final_answer', content: '', sources: [], provider: 'extractive', cached: false, found: true, seq: query!.seq ?? null, conversation_id: 'c1', answer_id: 'a1' });
    });
    expect(screen.queryByTestId('answer-status')).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: /^Manual, page 12/ })).toHaveAttribute('href', 'http://server/manuals/td27.pdf#page=12');
    const suggestion = screen.getByRole('complementary', { name: 'Suggested accessory' });
    expect(within(suggestion).getByRole('link', { name: 'Roland RH-300 Headphones' })).toHaveAttribute('href', '/products/roland-rh300');
    expect(screen.getByRole('complementary', { name: 'Pro tip' })).toHaveTextContent('Lower the volume before you put them on.');
    expect(screen.getByRole('link', { name: /TD-27 Owner’s Manual, page 12/ })).toBeInTheDocument();
    expect(document.body.textContent).not.toMatch(/\[MANUAL|\{"|"type"/);
  });

  it('sends the chosen scenario with the question', async () => {
    const { user, transport } = renderChat();
    await pickTd27(user, transport);
    await user.click(screen.getByRole('radio', { name: 'Live' }));
    expect(screen.getByRole('radio', { name: 'Live' })).toBeChecked();
    await user.click(screen.getByRole('textbox', { name: /Your question/ }));
    await user.keyboard('soundcheck tips{Enter}');
    expect(transport.lastOf('query')).toMatchObject({ scenario: 'live', query: 'soundcheck tips' });
  });

  it('shows errors as readable text', async () => {
    const { user, transport } = renderChat();
    await pickTd27(user, transport);
    await user.keyboard('q{Enter}');
    act(() => transport.emit({ type: 'error', message: 'The manual for this product is not available right now.', code: 'document_unavailable', seq: transport.lastOf('query')!.seq ?? null }));
    expect(screen.getByText('The manual for this product is not available right now.')).toBeInTheDocument();
  });

  it('tells the user when a question cannot be sent offline', async () => {
    const { user, transport } = renderChat();
    await pickTd27(user, transport);
    act(() => transport.setStatus('reconnecting'));
    await user.keyboard('q{Enter}');
    expect(screen.getByText(/Not connected right now/)).toBeInTheDocument();
    expect(transport.lastOf('query')).toBeUndefined();
  });
});
