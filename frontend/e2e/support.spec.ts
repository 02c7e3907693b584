import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectAnswered, recordFrames } from './helpers';

// Conversations, feedback and handoff, end to end: a question and a follow-up in one
// conversation, a thumbs down with a comment, a request for a person with an email, then the
// admin page shows the ticket and the down-voted answer with its comment.
// Against a real server the admin token comes from E2E_ADMIN_TOKEN (tests/e2e/test_browser.py
// sets HSC_ADMIN_TOKEN on the server and passes it); the mock server has a fixed one.
const SHOTS = join(import.meta.dirname, '..', 'test-results');
mkdirSync(SHOTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
const isMock = !process.env.E2E_BASE_URL;
const ADMIN_TOKEN = process.env.E2E_ADMIN_TOKEN || (isMock ? 'mock-admin-token-0123456789' : '');

test('ask, follow up, thumbs down with a comment, hand off; the admin page shows it all', async ({ page }) => {
  test.skip(!ADMIN_TOKEN, 'set E2E_ADMIN_TOKEN to the server’s HSC_ADMIN_TOKEN');
  const frames = recordFrames(page);
  await page.goto('/');
  await expect(page.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible();

  // 1. A question about a demo product.
  await page.getByRole('combobox', { name: 'Find your product' }).fill('rolnd td27');
  await page.locator('[role="listbox"][data-query="rolnd td27"]').getByRole('option', { name: /Roland TD-27KV/ }).first().click();
  const question = page.getByRole('textbox', { name: /Your question about Roland TD-27KV/ });
  await question.fill('how do I connect headphones');
  await question.press('Enter');
  const answers = page.getByTestId('answer');
  await expectAnswered(answers.nth(0));
  const firstFinal = frames.received.find((f) => f.type === 'final_answer');
  const conversationId = typeof firstFinal?.conversation_id === 'string' ? firstFinal.conversation_id : '';
  expect(conversationId).toMatch(/^[A-Za-z0-9_.-]{1,64}$/);
  expect(frames.sent.find((f) => f.type === 'query')).not.toHaveProperty('conversation_id');

  // 2. A follow-up: just another question; it carries the conversation.
  await question.fill('and how loud can they go?');
  await question.press('Enter');
  const second = answers.nth(1);
  await expectAnswered(second);
  const queries = frames.sent.filter((f) => f.type === 'query');
  expect(queries).toHaveLength(2);
  expect(queries[1]).toMatchObject({ query: 'and how loud can they go?', conversation_id: conversationId });
  await shot(page, '08-follow-up');

  // 3. Thumbs down on the follow-up, with a comment.
  const down = second.getByRole('button', { name: 'Not helpful' });
  await down.click();
  await expect(down).toHaveAttribute('aria-pressed', 'true');
  const comment = `E2E: it does not say the maximum volume (${Date.now()}).`;
  await second.getByRole('textbox', { name: /What was wrong or missing/ }).fill(comment);
  await second.getByRole('button', { name: 'Send comment' }).click();
  await expect(second.getByRole('status').filter({ hasText: 'Thanks – your comment was sent.' })).toBeVisible();
  const rated = frames.sent.filter((f) => f.type === 'feedback');
  expect(rated.at(-1)).toMatchObject({ rating: 'down', comment });
  await shot(page, '09-thumbs-down');

  // 4. The person is offered at once; hand off with an email.
  await second.getByRole('button', { name: 'Talk to a person' }).click();
  const panel = page.getByRole('region', { name: 'Talk to a person' });
  await expect(panel).toBeVisible();
  await panel.getByRole('textbox', { name: 'Email (optional)' }).fill('not-an-email');
  await panel.getByRole('button', { name: 'Send to our team' }).click();
  await expect(panel.getByText('Enter an email address like name@example.com.')).toBeVisible();
  await panel.getByRole('textbox', { name: 'Email (optional)' }).fill('e2e-customer@example.com');
  await panel.getByRole('textbox', { name: 'Message (optional)' }).fill('Please call me about the volume.');
  await panel.getByRole('button', { name: 'Send to our team' }).click();
  const ticket = panel.getByTestId('ticket-id');
  await expect(ticket).toBeVisible();
  const ticketId = (await ticket.innerText()).trim();
  expect(ticketId).not.toBe('');
  expect(frames.sent.find((f) => f.type === 'handoff')).toMatchObject({
    conversation_id: conversationId,
    contact: { email: 'e2e-customer@example.com' },
    message: 'Please call me about the volume.',
  });
  await shot(page, '10-handoff-ticket');

  // 5. The admin page (its own chunk): a wrong token is refused, the right one shows the reports.
  await page.goto('/admin');
  const tokenInput = page.getByLabel('Admin token');
  await tokenInput.fill('certainly-not-the-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('That token was not accepted');
  await tokenInput.fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const tabs = page.getByRole('tablist', { name: 'Reports' });
  await expect(tabs).toBeVisible();
  expect(await page.evaluate(() => sessionStorage.getItem('hsc-admin-token'))).toBe(ADMIN_TOKEN);
  expect(await page.evaluate(() => localStorage.getItem('hsc-admin-token'))).toBeNull();

  await tabs.getByRole('tab', { name: 'Tickets' }).click();
  const row = page.getByTestId('ticket').filter({ hasText: ticketId });
  await expect(row).toBeVisible();
  await expect(row).toContainText('e2e-customer@example.com');
  await expect(row).toContainText('Please call me about the volume.');
  await expect(row.locator('[data-state]')).toHaveAttribute('data-state', /^(pending|delivered|not_configured)$/);
  await shot(page, '11-admin-tickets');

  await tabs.getByRole('tab', { name: 'Down-voted answers' }).click();
  const vote = page.getByTestId('down-vote').filter({ hasText: comment });
  await expect(vote).toBeVisible();
  await expect(vote).toContainText('and how loud can they go?');
  await shot(page, '12-admin-down-votes');

  // The CSV download goes through the token too.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: /Download CSV/ }).click();
  expect((await download).suggestedFilename()).toMatch(/^hsc-feedback-\d{4}-\d{2}-\d{2}\.csv$/);
});
