import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => cleanup());

// jsdom does no layout: give elements a size so the virtualised list has a viewport to fill.
// (Class names are CSS-module hashes, so the conversation is found by its role and name.)
const isConversation = (el: HTMLElement) => el.getAttribute('role') === 'region' && el.getAttribute('aria-label') === 'Conversation';
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
