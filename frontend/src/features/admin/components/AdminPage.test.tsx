// The admin page on a fake fetch: the token (sessionStorage only, sent as a bearer token), the
// four reports, the CSV downloads, and the words for 401 and 404.
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { downVotes, parseFeedback } from '../api/admin-api';
import AdminPage from './AdminPage';

const TOKEN = 'a-long-admin-token-0123456789';

const REPORTS: Record<string, unknown> = {
  unanswered: {
    questions: [],
    groups: [
      {
        product_id: 'roland-td27kv',
        product_name: 'Roland TD-27KV V-Drums',
        count: 3,
        example: 'Can I use a double bass pedal?',
        questions: ['Can I use a double bass pedal?', 'double pedal support?', 'does it take 2 kick pedals'],
        last_asked: '2026-12-05T10:00:00Z',
      },
    ],
  },
  feedback: {
    feedback: [
      { answer_id: 'a2', rating: 'down', comment: 'It does not say which cable.', conversation_id: 'c1', product_id: 'roland-td27kv', question: 'and the hi-hat?', answer: 'Connect the hi-hat to HH.', created_at: '2026-12-05T10:02:00Z' },
      { answer_id: 'a2', rating: 'down', comment: null, conversation_id: 'c1', product_id: 'roland-td27kv', question: 'and the hi-hat?', answer: 'Connect the hi-hat to HH.', created_at: '2026-12-05T10:01:00Z' },
      { answer_id: 'a1', rating: 'up', comment: null, conversation_id: 'c1', product_id: 'roland-td27kv', question: 'kick pad?', answer: 'Use KICK.', created_at: '2026-12-05T10:00:00Z' },
    ],
  },
  searches: { searches: [{ text: 'yamaha dx7', count: 4, last_seen: '2026-12-05T09:00:00Z' }] },
  tickets: {
    tickets: [
      {
        ticket_id: 'T-0001',
        conversation_id: 'c1',
        created_at: '2026-12-05T10:03:00Z',
        message: 'The kick pad stays silent.',
        contact: { name: 'Dana', email: 'dana@example.com', phone: null },
        product: { id: 'roland-td27kv', name: 'Roland TD-27KV V-Drums', brand: 'roland' },
        state: 'pending',
        attempts: 2,
        delivered_at: null,
        next_attempt_at: '2026-12-05T10:05:00Z',
        last_error: 'HTTP 503',
      },
    ],
  },
};

interface Call {
  url: URL;
  auth: string | null;
}

/** A fake server: `status` for every admin request, else the reports (CSV when asked). */
function fakeServer(status = 200) {
  const calls: Call[] = [];
  const fetchMock = vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input, 'http://app.test');
    const auth = new Headers(init?.headers).get('Authorization');
    calls.push({ url, auth });
    const json = (body: unknown, code: number) => Promise.resolve(new Response(JSON.stringify(body), { status: code, headers: { 'Content-Type': 'application/json' } }));
    if (status === 404) return json({ error: { code: 'not_found', message: 'Not Found' } }, 404);
    if (status !== 200 || auth !== `Bearer ${TOKEN}`) return json({ error: { code: 'unauthorized', message: 'A valid admin token is required.' } }, 401);
    const report = url.pathname.replace('/api/admin/', '');
    if (url.searchParams.get('format') === 'csv') return Promise.resolve(new Response(`report\n${report}\n`, { status: 200, headers: { 'Content-Type': 'text/csv' } }));
    return json(REPORTS[report], 200);
  });
  vi.stubGlobal('fetch', fetchMock);
  return calls;
}

async function signIn(user: ReturnType<typeof userEvent.setup>, token = TOKEN) {
  await user.type(screen.getByLabelText('Admin token'), token);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('AdminPage', () => {
  beforeEach(() => sessionStorage.clear());
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('asks for the token, and says so when it is wrong (401)', async () => {
    const calls = fakeServer();
    const user = userEvent.setup();
    render(<AdminPage />);
    expect(screen.getByRole('heading', { level: 1, name: 'Support admin' })).toBeInTheDocument();
    const input = screen.getByLabelText('Admin token');
    expect(input).toHaveAttribute('type', 'password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Enter the admin token.');
    expect(calls).toHaveLength(0);

    await signIn(user, 'wrong-token-0123456789');
    expect(await screen.findByRole('alert')).toHaveTextContent('That token was not accepted. Check it and try again.');
    expect(calls[0]?.auth).toBe('Bearer wrong-token-0123456789');
    expect(sessionStorage.getItem('hsc-admin-token')).toBeNull();
    expect(screen.queryByRole('tablist')).not.toBeInTheDocument();
  });

  it('explains a 404: the admin area is switched off on the server', async () => {
    fakeServer(404);
    const user = userEvent.setup();
    render(<AdminPage />);
    await signIn(user);
    expect(await screen.findByRole('alert')).toHaveTextContent(/switched off on this server.*HSC_ADMIN_TOKEN/);
  });

  it('keeps the token in sessionStorage only and shows the four reports as tabs', async () => {
    const calls = fakeServer();
    const local = vi.spyOn(Storage.prototype, 'setItem');
    const user = userEvent.setup();
    render(<AdminPage />);
    await signIn(user);

    // Unanswered questions first, grouped.
    const tabs = await screen.findByRole('tablist', { name: 'Reports' });
    expect(within(tabs).getAllByRole('tab').map((tab) => tab.textContent)).toEqual(['Unanswered questions', 'Down-voted answers', 'Searches with no result', 'Tickets']);
    expect(within(tabs).getByRole('tab', { name: 'Unanswered questions' })).toHaveAttribute('aria-selected', 'true');
    expect(sessionStorage.getItem('hsc-admin-token')).toBe(TOKEN);
    expect(local.mock.contexts.every((storage) => storage === sessionStorage)).toBe(true);
    const panel = screen.getByRole('tabpanel', { name: 'Unanswered questions' });
    const row = await within(panel).findByRole('row', { name: /double bass pedal/ });
    expect(row).toHaveTextContent('Roland TD-27KV V-Drums');
    expect(row).toHaveTextContent('3');
    expect(within(row).getByText('All 3 wordings')).toBeInTheDocument();
    expect(calls.every((call) => call.auth === `Bearer ${TOKEN}`)).toBe(true);
    expect(calls.at(-1)?.url.pathname).toBe('/api/admin/unanswered');
    expect(calls.at(-1)?.url.searchParams.get('limit')).toBe('200');

    // Down-voted answers: one row per answer, the newest rating, with its comment.
    await user.click(within(tabs).getByRole('tab', { name: 'Down-voted answers' }));
    const feedback = screen.getByRole('tabpanel', { name: 'Down-voted answers' });
    const votes = await within(feedback).findAllByTestId('down-vote');
    expect(votes).toHaveLength(1);
    expect(votes[0]).toHaveTextContent('and the hi-hat?');
    expect(votes[0]).toHaveTextContent('It does not say which cable.');
    expect(calls.at(-1)?.url.searchParams.get('rating')).toBe('down');

    // Arrow keys move between tabs (and select them).
    await user.keyboard('{ArrowRight}');
    expect(within(tabs).getByRole('tab', { name: 'Searches with no result' })).toHaveFocus();
    expect(await screen.findByRole('row', { name: /yamaha dx7/ })).toHaveTextContent('4');
    await user.keyboard('{End}');
    const ticket = await screen.findByTestId('ticket');
    expect(ticket).toHaveTextContent('T-0001');
    expect(ticket).toHaveTextContent('Dana');
    expect(within(ticket).getByRole('link', { name: 'dana@example.com' })).toHaveAttribute('href', 'mailto:dana@example.com');
    expect(ticket).toHaveTextContent('Pending');
    expect(ticket).toHaveTextContent('Attempts: 2');
    expect(ticket).toHaveTextContent('Last error: HTTP 503');
  });

  it('downloads a report as CSV with the token', async () => {
    const calls = fakeServer();
    sessionStorage.setItem('hsc-admin-token', TOKEN);
    const created = vi.fn((blob: Blob) => `blob:${blob.size}`);
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: created, revokeObjectURL: vi.fn() }));
    const clicks: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this);
    });
    const user = userEvent.setup();
    render(<AdminPage />);
    await user.click(await screen.findByRole('tab', { name: 'Tickets' }));
    await screen.findByTestId('ticket');
    await user.click(screen.getByRole('button', { name: 'Download CSV' }));
    await waitFor(() => expect(clicks).toHaveLength(1));
    const csv = calls.find((call) => call.url.searchParams.get('format') === 'csv');
    expect(csv?.url.pathname).toBe('/api/admin/tickets');
    expect(csv?.auth).toBe(`Bearer ${TOKEN}`);
    expect(clicks[0]?.download).toMatch(/^hsc-tickets-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(created).toHaveBeenCalledTimes(1);
    expect(await screen.findByText(/^Saved hsc-tickets-/)).toBeInTheDocument();
  });

  it('starts signed in with a stored token; a refused one says so; Sign out forgets it', async () => {
    fakeServer(401);
    sessionStorage.setItem('hsc-admin-token', 'an-old-token-0123456789');
    const user = userEvent.setup();
    render(<AdminPage />);
    expect(await screen.findByRole('alert')).toHaveTextContent('The token is no longer accepted. Please sign in again.');
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(sessionStorage.getItem('hsc-admin-token')).toBeNull();
    expect(screen.getByLabelText('Admin token')).toBeInTheDocument();
  });

  it('refresh loads a report again', async () => {
    const calls = fakeServer();
    sessionStorage.setItem('hsc-admin-token', TOKEN);
    const user = userEvent.setup();
    render(<AdminPage />);
    await screen.findByRole('row', { name: /double bass pedal/ });
    const before = calls.length;
    await user.click(screen.getByRole('button', { name: 'Refresh' }));
    await act(async () => {});
    expect(calls.length).toBe(before + 1);
  });
});

describe('admin report parsing', () => {
  it('drops rows it cannot show and keeps the newest rating of each answer', () => {
    expect(parseFeedback({ answer_id: 'x', rating: 'meh' })).toBeNull();
    const entries = [
      parseFeedback({ answer_id: 'a', rating: 'down', created_at: '2026-01-01T00:00:00Z' })!,
      parseFeedback({ answer_id: 'a', rating: 'up', created_at: '2026-01-02T00:00:00Z' })!,
      parseFeedback({ answer_id: 'b', rating: 'down', comment: 'bad', created_at: '2026-01-03T00:00:00Z' })!,
    ];
    expect(downVotes(entries).map((e) => e.answer_id)).toEqual(['b']);
  });
});
