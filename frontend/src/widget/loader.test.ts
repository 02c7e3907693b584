import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** Runs widget.js as a page would: a script tag with data-* attributes, then the code. */
async function load(data: Record<string, string>) {
  const script = document.createElement('script');
  script.src = 'http://127.0.0.1:9/widget.js';
  for (const [key, value] of Object.entries(data)) script.dataset[key] = value;
  document.head.append(script);
  vi.spyOn(document, 'currentScript', 'get').mockReturnValue(script);
  vi.resetModules();
  await import('./loader');
  const host = document.querySelector('hsc-support-widget');
  if (!host?.shadowRoot) throw new Error('no widget');
  const shadow = host.shadowRoot;
  return {
    shadow,
    launcher: shadow.querySelector<HTMLButtonElement>('.hsc-launcher')!,
    panel: shadow.querySelector<HTMLElement>('[role="dialog"]')!,
    root: shadow.querySelector<HTMLElement>('.hsc-root')!,
  };
}

describe('widget.js (the loader)', () => {
  beforeEach(() => {
    document.body.replaceChildren();
    document.head.replaceChildren();
  });
  afterEach(() => document.querySelector('hsc-support-widget')?.remove());

  it('adds a launcher in a shadow root, with its own styles, and a closed panel', async () => {
    const { shadow, launcher, panel, root } = await load({ server: 'http://127.0.0.1:9' });
    // (Vitest leaves CSS out; the browser test checks the isolation from a hostile page.)
    expect(shadow.querySelector('style')).not.toBeNull();
    expect(root).toHaveAttribute('dir', 'ltr');
    expect(launcher).toHaveAttribute('aria-expanded', 'false');
    expect(launcher).toHaveAttribute('aria-label', 'Open the support chat');
    expect(launcher).toHaveTextContent('Support');
    expect(panel.hidden).toBe(true);
    // Nothing of the page is touched but the one host element.
    expect(document.head.querySelectorAll('style, link')).toHaveLength(0);
  });

  it('speaks Hebrew right-to-left with data-lang="he"', async () => {
    const { launcher, root } = await load({ server: 'http://127.0.0.1:9', lang: 'he' });
    expect(root).toHaveAttribute('dir', 'rtl');
    expect(root).toHaveAttribute('lang', 'he');
    expect(launcher).toHaveTextContent('תמיכה');
    expect(launcher).toHaveAttribute('aria-label', 'פתיחת צ׳אט התמיכה');
  });

  it('opens on click, says so when the panel cannot be loaded, and closes', async () => {
    const { launcher, panel } = await load({ server: 'http://127.0.0.1:9' });
    launcher.click();
    expect(panel.hidden).toBe(false);
    expect(launcher).toHaveAttribute('aria-expanded', 'true');
    expect(launcher).toHaveAttribute('aria-label', 'Close the support chat');
    // Nothing listens on port 9: the import fails and the panel offers a retry.
    await vi.waitFor(() => expect(panel).toHaveTextContent('The chat could not be loaded'), { timeout: 5000 });
    expect(panel.querySelector('button')).toHaveTextContent('Try again');
    panel.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(panel.hidden).toBe(true);
    expect(launcher).toHaveAttribute('aria-expanded', 'false');
  });

  it('opens at load with data-open="true", and only once when pasted twice', async () => {
    const { panel } = await load({ server: 'http://127.0.0.1:9', open: 'true' });
    expect(panel.hidden).toBe(false);
    await load({ server: 'http://127.0.0.1:9' });
    expect(document.querySelectorAll('hsc-support-widget')).toHaveLength(1);
  });
});
