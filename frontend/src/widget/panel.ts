/**
 * The panel bundle (`dist/widget/panel-<hash>.js`, an ES module the loader imports from the
 * support server): React and the app's chat, rendered into the loader's shadow root.
 */
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { loadConfig } from '../config/client-config';
import { browserLangs, loadCatalog, pickLang } from '../i18n';
import './panel.css';
import type { MountOptions, PanelHandle } from './types';
import { WidgetApp } from './WidgetApp';

// The panel's CSS (panel.css and the component modules), put in by the build: the shadow root
// gets it as a stylesheet of its own, never the shop's document.
declare const __HSC_WIDGET_CSS__: string;

function addStyles(shadowRoot: ShadowRoot): void {
  const css = typeof __HSC_WIDGET_CSS__ === 'string' ? __HSC_WIDGET_CSS__ : '';
  if (!css || shadowRoot.querySelector('style[data-hsc-panel]')) return;
  const style = document.createElement('style');
  style.dataset.hscPanel = '';
  style.textContent = css;
  shadowRoot.append(style);
}

export async function mount(options: MountOptions): Promise<PanelHandle> {
  addStyles(options.shadowRoot);
  const config = await loadConfig(options.server);
  const lang = pickLang([options.lang, ...browserLangs()], config.languages, config.defaultLang);
  await loadCatalog(lang);
  const root = createRoot(options.container);
  root.render(
    createElement(WidgetApp, {
      config,
      lang,
      brand: options.brand,
      scenario: options.scenario,
      titleId: options.titleId,
      onClose: options.onClose,
    }),
  );
  return {
    focus: () => {
      // After React's first commit: the input box, else the panel's first control.
      requestAnimationFrame(() => options.container.querySelector<HTMLElement>('input[type="text"], button')?.focus());
    },
    unmount: () => root.unmount(),
  };
}
