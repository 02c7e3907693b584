import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { en } from '../i18n/en';
import { he } from '../i18n/he';
import { registerCatalog } from '../i18n/translate';

// The catalogs load as chunks in the browser (loadCatalog); tests have both at once.
registerCatalog('en', en);
registerCatalog('he', he);
// The conversation view is a lazy chunk in the browser; tests render it at once.
// (Imported after the catalogs are in: modules such as the chat model read them at load.)
const { loadConversation } = await import('../features/chat/components/conversation');
await loadConversation();

afterEach(() => cleanup());

// jsdom does no layout: give elements a size so the virtualised list has a viewport to fill.
// (Class names are CSS-module hashes, so the conversation is found by its role and name.)
const CONVERSATION = new Set([en['messages.region'], he['messages.region']]);
const isConversation = (el: HTMLElement) => el.getAttribute('role') === 'region' && CONVERSATION.has(el.getAttribute('aria-label') ?? '');
const rect = (width: number, height: number): DOMRect => ({ x: 0, y: 0, top: 0, left: 0, right: width, bottom: height, width, height, toJSON: () => ({}) });
Object.defineProperty(HTMLElement.prototype, 'getBoundingClientRect', {
  configurable: true,
  value(this: HTMLElement) {
    return isConversation(this) ? rect(800, 600) : rect(800, 100);
  },
});
Object.defineProperty(HTMLElement.prototype, 'offsetHeight', {
  configurable: true,
  get(this: HTMLElement) {
    return isConversation(this) ? 600 : 100;
  },
});
Object.defineProperty(HTMLElement.prototype, 'offsetWidth', { configurable: true, get: () => 800 });
if (!Element.prototype.scrollTo) Element.prototype.scrollTo = function scrollTo() {};
