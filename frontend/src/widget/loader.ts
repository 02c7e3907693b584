/**
 * `/widget.js`: the script a shop pastes into its pages.
 *
 *   <script src="https://SUPPORT-HOST/widget.js" data-server="https://SUPPORT-HOST" data-lang="he" defer></script>
 *
 * A classic script, kept small (it loads on every page of the shop): it reads its data-*
 * attributes, adds a launcher button inside a shadow root (styles isolated both ways), and only
 * when the panel is first opened (or at once with data-open="true") imports the panel bundle --
 * React and the app's chat -- from `data-server`. The panel path is put in at build time
 * (vite.widget.config.ts); everything else is read at run time.
 */
import { en } from '../i18n/en';
import { he } from '../i18n/he';
import { browserLangs } from '../i18n/lang';
import { dirOf, LANGS, pickLang, registerCatalog, translator } from '../i18n/translate';
import launcherCss from './launcher.css?inline';
import { readOptions } from './options';
import type { PanelHandle, PanelModule } from './types';

declare const __HSC_PANEL_PATH__: string;
// Put in by the build; tests run the source, where it is not defined.
const PANEL_PATH = typeof __HSC_PANEL_PATH__ === 'string' ? __HSC_PANEL_PATH__ : '/widget/panel.js';

// Captured now: document.currentScript is only set while this script runs.
const script = document.currentScript as HTMLScriptElement | null;
const HOST_TAG = 'hsc-support-widget';

const CHAT_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2Zm3 6.5a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3Zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3Zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3Z"/></svg>';
const CLOSE_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6 10.6 12 5 6.4 6.4 5Z"/></svg>';

// The launcher's few words are needed at once, in whichever language: both catalogs come along.
registerCatalog('en', en);
registerCatalog('he', he);

function start(): void {
  if (document.querySelector(HOST_TAG)) return; // pasted twice: one widget
  const options = readOptions(script, location.href);
  // The launcher speaks before the server's config is known: data-lang, else the browser's.
  const lang = pickLang([options.lang, ...browserLangs()], LANGS, 'en');
  const t = translator(lang);

  const host = document.createElement(HOST_TAG);
  const shadow = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = launcherCss;
  const root = document.createElement('div');
  root.className = 'hsc-root';
  root.lang = lang;
  root.dir = dirOf(lang);
  const panel = document.createElement('div');
  panel.className = 'hsc-panel';
  panel.id = 'hsc-panel';
  panel.hidden = true;
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-labelledby', 'hsc-panel-title');
  panel.setAttribute('aria-label', t('chat.title'));
  const launcher = document.createElement('button');
  launcher.type = 'button';
  launcher.className = 'hsc-launcher';
  launcher.setAttribute('aria-controls', panel.id);
  root.append(panel, launcher);
  shadow.append(style, root);
  document.body.append(host);

  let handle: PanelHandle | null = null;
  let loading: Promise<void> | null = null;

  const showLauncher = (open: boolean) => {
    launcher.setAttribute('aria-expanded', String(open));
    launcher.setAttribute('aria-label', open ? t('widget.close') : t('widget.open'));
    launcher.innerHTML = open ? CLOSE_ICON : `${CHAT_ICON}<span>${t('widget.launcher')}</span>`;
  };

  const status = (text: string, retry: boolean) => {
    const box = document.createElement('div');
    box.className = 'hsc-status';
    box.setAttribute('role', 'status');
    const line = document.createElement('p');
    line.textContent = text;
    box.append(line);
    if (retry) {
      const again = document.createElement('button');
      again.type = 'button';
      again.textContent = t('widget.retry');
      again.addEventListener('click', () => void load());
      box.append(again);
    }
    panel.replaceChildren(box);
  };

  const load = (): Promise<void> => {
    if (handle) return Promise.resolve();
    if (loading) return loading;
    status(t('common.loading'), false);
    loading = (import(/* @vite-ignore */ `${options.server}${PANEL_PATH}`) as Promise<PanelModule>)
      .then(async (module) => {
        const container = document.createElement('div');
        container.className = 'hsc-mount';
        panel.replaceChildren(container);
        panel.removeAttribute('aria-label');
        handle = await module.mount({ ...options, container, shadowRoot: shadow, titleId: 'hsc-panel-title', onClose: () => close() });
        if (!panel.hidden) handle.focus();
      })
      .catch(() => {
        // Not reachable, or this page's origin is not allowed (CORS): say so, offer a retry.
        status(t('widget.loadFailed'), true);
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  };

  const open = () => {
    panel.hidden = false;
    showLauncher(true);
    if (handle) handle.focus();
    else void load();
  };

  const close = () => {
    const hadFocus = shadow.activeElement !== null && shadow.activeElement !== launcher;
    panel.hidden = true;
    showLauncher(false);
    if (hadFocus) launcher.focus();
  };

  launcher.addEventListener('click', () => (panel.hidden ? open() : close()));
  panel.addEventListener('keydown', (event) => {
    // The handoff form and the prediction list handle their own Escape first.
    if (event.key === 'Escape' && !event.defaultPrevented) close();
  });

  showLauncher(false);
  if (options.open) open();
}

if (document.body) start();
else document.addEventListener('DOMContentLoaded', start, { once: true });
