#!/usr/bin/env node
// The pages of a pretend shop that embeds the widget, for the browser tests: the snippet of
// README.md on a page whose own stylesheet is hostile (it resets everything, hides every button).
// The widget must look and work the same there.
//
//   node e2e/shop-page.mjs OUT_DIR SERVER_URL    writes OUT_DIR/en.html and OUT_DIR/he.html
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const HOSTILE_CSS = '* { all: unset; font-size: 40px !important; color: red !important } button { display:none !important }';

/** The widget's data-* attributes of each page. */
export const PAGES = {
  en: { lang: 'en', brand: 'roland' },
  he: { lang: 'he', scenario: 'live', brand: 'roland', open: 'true' },
};

const escape = (value) => String(value).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** @param {string} server @param {Record<string, string>} attributes */
export function shopPage(server, attributes) {
  const data = Object.entries(attributes)
    .map(([key, value]) => ` data-${key}="${escape(value)}"`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Music Shop</title>
<style>${HOSTILE_CSS}</style>
</head>
<body>
<h1>Music Shop</h1>
<p id="shop-text">Welcome to our shop.</p>
<button id="shop-button" type="button">Shop button</button>
<script src="${escape(server)}/widget.js" data-server="${escape(server)}"${data} defer></script>
</body>
</html>
`;
}

/** @param {string} dir @param {string} server */
export function writeShopPages(dir, server) {
  mkdirSync(dir, { recursive: true });
  for (const [name, attributes] of Object.entries(PAGES)) writeFileSync(join(dir, `${name}.html`), shopPage(server, attributes));
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const [dir, server] = process.argv.slice(2);
  if (!dir || !server) {
    console.error('usage: node e2e/shop-page.mjs OUT_DIR SERVER_URL');
    process.exit(2);
  }
  writeShopPages(dir, server.replace(/\/+$/, ''));
}
