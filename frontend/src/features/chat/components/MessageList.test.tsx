import { render, screen } from '@testing-library/react';
import { memoryLocation } from 'wouter/memory-location';
import { Router } from 'wouter';
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../model/chat-controller';
import { MessageList } from './MessageList';

function manyMessages(n: number): ChatMessage[] {
  return Array.from({ length: n }, (_, i): ChatMessage =>
    i % 2 === 0
      ? { id: `m${i}`, kind: 'user', text: `Question ${i}`, productName: 'Roland TD-27KV', scenario: 'general' }
      : {
          id: `m${i}`,
          kind: 'answer',
          seq: i,
          productId: 'roland-td27kv',
          productName: 'Roland TD-27KV',
          scenario: 'studio',
          state: 'done',
          status: null,
          chunks: [`Answer ${i}.`, '[MANUAL: page 3]'],
          sources: [],
          relatedItems: [],
          docUrl: 'http://m/td27.pdf',
          docType: 'pdf',
          found: true,
          cached: false,
          error: null,
          answerId: null,
          conversationId: null,
          feedback: null,
        },
  );
}

describe('MessageList', () => {
  it('keeps the DOM bounded with thousands of messages (virtualised)', () => {
    const messages = manyMessages(5000);
    const { container } = render(
      <Router hook={memoryLocation().hook}>
        <MessageList messages={messages} busy={false} />
      </Router>,
    );
    const articles = container.querySelectorAll('article');
    expect(articles.length).toBeGreaterThan(0);
    expect(articles.length).toBeLessThan(30);
    expect(container.querySelectorAll('*').length).toBeLessThan(400);
    // jsdom does not scroll, so the window sits at the top (the browser test checks stick-to-bottom).
    expect(screen.getByText('Question 0')).toBeInTheDocument();
    const feed = screen.getByRole('feed');
    expect(feed).toHaveAttribute('aria-busy', 'false');
    const last = [...articles].at(-1)!;
    expect(last).toHaveAttribute('aria-setsize', '5000');
  });

  it('shows the empty state when there are no messages', () => {
    render(<MessageList messages={[]} busy={false} empty={<p>Nothing yet</p>} />);
    expect(screen.getByText('Nothing yet')).toBeInTheDocument();
  });
});
