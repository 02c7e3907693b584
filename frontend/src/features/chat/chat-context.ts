import { createContext, useContext, useSyncExternalStore } from 'react';
import type { ChatController, ChatState } from './model/chat-controller';

/** The app's one chat, provided by <ChatProvider>. */
export const ChatContext = createContext<ChatController | null>(null);

export function useChatController(): ChatController {
  const chat = useContext(ChatContext);
  if (!chat) throw new Error('useChatController must be used inside <ChatProvider>');
  return chat;
}

export function useChatState<T>(select: (state: ChatState) => T): T {
  const chat = useChatController();
  return useSyncExternalStore(chat.subscribe, () => select(chat.getState()));
}

export const useConnection = () => useChatState((s) => s.connection);
