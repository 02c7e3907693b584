import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_CONFIG } from '../config/runtime';
import { ChatController, lockedFromPrediction } from '../features/chat/model/chat-controller';
import type { Lang } from '../i18n';
import { FakeTransport, relatedItem, ROLAND, TD27 } from '../test/fakes';
import { WidgetApp } from './WidgetApp';

function renderWidget(lang: Lang) {
  const transport = new FakeTransport();
  const chat = new ChatController(transport, { debounceMs: 150, predictionLimit: 8 });
  const onClose = vi.fn();
  render(
    <WidgetApp
      config={{ ...DEFAULT_CONFIG, apiBaseUrl: 'https://support.test' }}
      lang={lang}
      brand="roland"
      scenario="live"
      titleId="hsc-panel-title"
      onClose={onClose}
      controller={chat}
    />,
  );
  act(() => transport.setStatus('open'));
  return { transport, chat, onClose, user: userEvent.setup() };
}

describe('the widget panel', () => {
  it('is the app’s chat, in Hebrew and right-to-left with data-lang="he"', async () => {
    const { onClose, user } = renderWidget('he');
    const panel = screen.getByTestId('widget-panel');
    expect(panel).toHaveAttribute('dir', 'rtl');
    expect(panel).toHaveAttribute('lang', 'he');
    expect(within(panel).getByRole('heading', { name: 'צ׳אט תמיכה' })).toHaveAttribute('id', 'hsc-panel-title');
    expect(within(panel).getByRole('combobox', { name: 'חפשו את המוצר שלכם' })).toBeInTheDocument();
    // data-scenario="live" is where it starts.
    expect(within(panel).getByRole('radio', { name: 'הופעה' })).toBeChecked();
    await user.click(within(panel).getByRole('button', { name: 'סגירת צ׳אט התמיכה' }));
    expect(onClose).toHaveBeenCalledOnce();
  });

  it('opens product pages on the support site, in a new tab', () => {
    const { transport, chat } = renderWidget('en');
    act(() => chat.lock(lockedFromPrediction(TD27)));
    act(() => {
      chat.ask('how do I connect headphones');
      transport.emit({ type: 'answer_chunk', content: 'Plug them in.' });
      transport.emit({ type: 'answer_chunk', content: '[SUGGESTION: Roland RH-300 Headphones]' });
      transport.emit({
        type: 'context',
        data: { brand: ROLAND, related_items: [relatedItem('roland-rh300', 'Roland RH-300 Headphones')], scenario: 'live', sources: [] },
      });
    });
    const link = within(screen.getByRole('complementary', { name: 'Suggested accessory' })).getByRole('link', { name: /Roland RH-300/ });
    expect(link).toHaveAttribute('href', 'https://support.test/products/roland-rh300');
    expect(link).toHaveAttribute('target', '_blank');
    expect(transport.lastOf('query')).toMatchObject({ scenario: 'live', lang: 'en' });
  });
});
