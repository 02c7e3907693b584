import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { memoryLocation } from 'wouter/memory-location';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatController } from '../features/chat/model/chat-controller';
import type { Lang } from '../i18n';
import { FakeTransport, TD27 } from '../test/fakes';
import { App } from './App';

function renderApp(initialLang: Lang) {
  const transport = new FakeTransport();
  const chat = new ChatController(transport, { debounceMs: 150, predictionLimit: 8 });
  render(<App controller={chat} location={memoryLocation({ path: '/' })} initialLang={initialLang} />);
  act(() => transport.setStatus('open'));
  return { transport, user: userEvent.setup() };
}

afterEach(() => {
  localStorage.clear();
  document.documentElement.removeAttribute('dir');
  document.documentElement.removeAttribute('lang');
});

describe('the app in Hebrew', () => {
  it('is right-to-left, in Hebrew, with product names kept left-to-right', async () => {
    const { transport, user } = renderApp('he');
    expect(document.documentElement).toHaveAttribute('dir', 'rtl');
    expect(document.documentElement).toHaveAttribute('lang', 'he');
    expect(screen.getByRole('heading', { level: 1, name: 'צ׳אט תמיכה' })).toBeInTheDocument();
    expect(screen.getByText('איך אפשר לעזור?')).toBeInTheDocument();
    expect(screen.getByText('מחובר')).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'הופעה' })).toBeInTheDocument();

    const input = screen.getByRole('combobox', { name: 'חפשו את המוצר שלכם' });
    await user.type(input, 'rolnd td27');
    await waitFor(() => expect(transport.lastOf('typing')?.content).toBe('rolnd td27'));
    act(() => transport.emit({ type: 'prediction', data: [TD27], seq: transport.lastOf('typing')!.seq ?? null, query: 'rolnd td27' }));
    expect(screen.getByRole('listbox', { name: 'מוצרים מתאימים' })).toBeInTheDocument();
    await user.keyboard('{Enter}');
    // The name sits in a <bdi> inside the Hebrew chip.
    const chip = screen.getByTestId('product-chip');
    expect(chip).toHaveTextContent('שואלים על');
    expect(chip.querySelector('bdi')).toHaveTextContent('Roland TD-27KV V-Drums');
    await user.keyboard('איך מחברים אוזניות?{Enter}');
    expect(transport.lastOf('query')).toMatchObject({ lang: 'he', query: 'איך מחברים אוזניות?', product_id: 'roland-td27kv' });
    expect(await screen.findByTestId('answer-status')).toHaveTextContent('שולחים את השאלה…');
  });

  it('switches language from the header and remembers the choice', async () => {
    const { transport, user } = renderApp('he');
    const switcher = screen.getByRole('group', { name: 'שפה' });
    expect(screen.getByRole('button', { name: 'עברית' })).toHaveAttribute('aria-pressed', 'true');
    await user.click(screen.getByRole('button', { name: 'English' }));
    await waitFor(() => expect(document.documentElement).toHaveAttribute('dir', 'ltr'));
    expect(document.documentElement).toHaveAttribute('lang', 'en');
    expect(screen.getByRole('heading', { level: 1, name: 'Support chat' })).toBeInTheDocument();
    expect(screen.getByRole('group', { name: 'Language' })).toBe(switcher);
    expect(screen.getByRole('button', { name: 'English' })).toHaveAttribute('aria-pressed', 'true');
    expect(localStorage.getItem('hsc-lang')).toBe('en');

    // The next question goes out in the new language.
    act(() => transport.emit({ type: 'prediction', data: [TD27], seq: null, query: '' }));
    await user.click(screen.getByRole('option', { name: /Roland TD-27KV/ }));
    await user.keyboard('hello{Enter}');
    expect(transport.lastOf('query')).toMatchObject({ lang: 'en' });
  });

  it('starts in English with ltr by default', () => {
    renderApp('en');
    expect(document.documentElement).toHaveAttribute('dir', 'ltr');
    expect(screen.getByRole('combobox', { name: 'Find your product' })).toBeInTheDocument();
  });
});
