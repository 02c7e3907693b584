import { useEffect, useState, type ReactNode } from 'react';
import { useConfig } from '../../config/context';
import { socketUrl, type RuntimeConfig } from '../../config/runtime';
import { useI18n } from '../../i18n';
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

function createChatController(config: RuntimeConfig, brand: string | null): ChatController {
  const id = clientId();
  const client = new ProtocolClient({ url: () => socketUrl(config, id) });
  return new ChatController(client, { debounceMs: config.typingDebounceMs, predictionLimit: config.predictionLimit, brand });
}

interface Props {
  children: ReactNode;
  /** Tests pass their own (fake transport). */
  controller?: ChatController;
  /** Predict only this brand's products (the widget's `data-brand`). */
  brand?: string | null;
}

/**
 * Holds the chat for the whole app (or widget), so a conversation survives a visit to another
 * page. It talks to the server of the run-time config (ConfigContext), in the language of I18n.
 */
export function ChatProvider({ children, controller, brand = null }: Props) {
  const config = useConfig();
  const { lang } = useI18n();
  const [chat] = useState(() => controller ?? createChatController(config, brand));
  useEffect(() => chat.setLang(lang), [chat, lang]);
  useEffect(() => chat.start(), [chat]);
  return <ChatContext.Provider value={chat}>{children}</ChatContext.Provider>;
}
