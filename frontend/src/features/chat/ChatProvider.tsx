import { useEffect, useState, type ReactNode } from 'react';
import { env, socketUrl } from '../../config/env';
import { ProtocolClient } from '../../lib/ws';
import { ChatContext } from './chat-context';
import { ChatController } from './model/chat-controller';

function clientId(): string {
  const key = 'hsc-client-id';
  try {
    const known = sessionStorage.getItem(key);
    if (known && /^[A-Za-z0-9_.-]{1,64}$/.test(known)) return known;
    const made = `web-${Math.random().toString(36).slice(2, 12)}`;
    sessionStorage.setItem(key, made);
    return made;
  } catch {
    return `web-${Math.random().toString(36).slice(2, 12)}`;
  }
}

function createChatController(): ChatController {
  const id = clientId();
  const client = new ProtocolClient({ url: () => socketUrl(id) });
  return new ChatController(client, { debounceMs: env.typingDebounceMs, predictionLimit: env.predictionLimit });
}

/** Holds the chat for the whole app, so a conversation survives a visit to another page. */
export function ChatProvider({ children, controller }: { children: ReactNode; controller?: ChatController }) {
  const [chat] = useState(() => controller ?? createChatController());
  useEffect(() => chat.start(), [chat]);
  return <ChatContext.Provider value={chat}>{children}</ChatContext.Provider>;
}
