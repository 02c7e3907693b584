import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// The global stylesheet first: component modules come after it in the bundle.
import './app/global.css';
import { App } from './app/App';
import { fetchConfigJson } from './config/runtime';
import { browserLangs, LANGS, loadCatalog, pickLang, storedLang } from './i18n';

const root = document.getElementById('root');
if (!root) throw new Error('The page has no #root element.');

async function start(container: HTMLElement): Promise<void> {
  const wanted = [storedLang(), ...browserLangs()];
  // All at once: the run-time settings from the server that serves the app (the defaults if it
  // does not answer within a few seconds), their checker, and the words of the likely language.
  const likely = pickLang(wanted, LANGS, 'en');
  const [raw, { parseClientConfig }] = await Promise.all([
    fetchConfigJson(''),
    import('./config/client-config'),
    loadCatalog(likely).catch(() => undefined),
  ]);
  const config = parseClientConfig(raw, '');
  const lang = pickLang(wanted, config.languages, config.defaultLang);
  await loadCatalog(lang).catch(() => undefined);
  createRoot(container).render(
    <StrictMode>
      <App config={config} initialLang={lang} />
    </StrictMode>,
  );
}

void start(root);
