import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useLayoutEffect, useRef, type ReactNode } from 'react';
import { useI18n } from '../../../i18n';
import type { ChatMessage } from '../model/chat-controller';
import { AnswerView } from './AnswerView';
import bubble from './bubble.module.css';
import styles from './MessageList.module.css';
import { SCENARIO_KEYS } from './scenario-labels';

interface Props {
  messages: ChatMessage[];
  busy: boolean;
  empty?: ReactNode;
}

const MessageItem = memo(function MessageItem({ message }: { message: ChatMessage }) {
  const { t, rich } = useI18n();
  if (message.kind === 'answer') return <AnswerView answer={message} />;
  if (message.kind === 'notice')
    return (
      <p className={styles.notice} dir="auto">
        {message.text}
      </p>
    );
  return (
    <div className={`${bubble.bubble} ${bubble.user}`}>
      <p className={bubble.meta}>
        {rich('messages.userMeta', { product: message.productName, scenario: t(SCENARIO_KEYS[message.scenario]) })}
      </p>
      <p className={bubble.text} dir="auto">
        {message.text}
      </p>
    </div>
  );
});

const NEAR_BOTTOM_PX = 64;

/**
 * The conversation, virtualised: only the messages in view (plus a few) are in the DOM, so a
 * thousand messages scroll as smoothly as ten. It sticks to the bottom while an answer streams,
 * unless the reader has scrolled up. Marked up as an ARIA feed of articles.
 */
export function MessageList({ messages, busy, empty }: Props) {
  const { t } = useI18n();
  const scrollRef = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  // The virtualizer hands out functions that React Compiler cannot memoize; this app is not compiled.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: messages.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 120,
    overscan: 4,
    getItemKey: (index) => messages[index]?.id ?? index,
    initialRect: { width: 800, height: 600 },
  });

  const onScroll = useCallback(() => {
    const el = scrollRef.current;
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
  }, []);

  const totalSize = virtualizer.getTotalSize();
  const last = messages[messages.length - 1];
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el && stick.current && messages.length > 0) {
      el.scrollTop = el.scrollHeight;
    }
  }, [messages.length, last, totalSize]);

  const items = virtualizer.getVirtualItems();
  return (
    <div ref={scrollRef} className={styles.messages} onScroll={onScroll} tabIndex={0} role="region" aria-label={t('messages.region')}>
      {messages.length === 0 ? (
        empty
      ) : (
        <div role="feed" aria-busy={busy} aria-label={t('messages.feed')} className={styles.inner} style={{ height: totalSize }}>
          {items.map((item) => {
            const message = messages[item.index];
            if (!message) return null;
            return (
              <article
                key={item.key}
                data-index={item.index}
                ref={virtualizer.measureElement}
                className={styles.message}
                aria-posinset={item.index + 1}
                aria-setsize={messages.length}
                aria-label={
                  message.kind === 'user'
                    ? t('messages.label.user')
                    : message.kind === 'answer'
                      ? t('messages.label.answer', { name: message.productName })
                      : t('messages.label.notice')
                }
                style={{ transform: `translateY(${item.start}px)` }}
              >
                <MessageItem message={message} />
              </article>
            );
          })}
        </div>
      )}
    </div>
  );
}
