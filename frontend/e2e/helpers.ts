/** What the specs share: the socket's frames as the page sent and received them, and waiting for an answer. */
import { expect, type Locator, type Page } from '@playwright/test';

export type Frame = Record<string, unknown>;

export function recordFrames(page: Page): { sent: Frame[]; received: Frame[] } {
  const sent: Frame[] = [];
  const received: Frame[] = [];
  const parse = (payload: string | Buffer, into: Frame[]) => {
    try {
      into.push(JSON.parse(String(payload)) as Frame);
    } catch {
      /* not ours */
    }
  };
  page.on('websocket', (ws) => {
    ws.on('framesent', (event) => parse(event.payload, sent));
    ws.on('framereceived', (event) => parse(event.payload, received));
  });
  return { sent, received };
}

/** Waits for the answer to finish; an answer that ended in an error fails with its message. */
export async function expectAnswered(answer: Locator) {
  await expect(answer).toHaveAttribute('data-state', /^(done|error)$/, { timeout: 90_000 });
  if ((await answer.getAttribute('data-state')) === 'error') {
    throw new Error(`the answer ended in an error: ${await answer.getByTestId('answer-error').innerText()}`);
  }
}
