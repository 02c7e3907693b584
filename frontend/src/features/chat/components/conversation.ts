/**
 * The conversation (the virtualised list, answers with their cards, feedback) is a chunk of its
 * own: nothing of it is needed until the first question, so ChatView loads it right after the
 * first render instead of delaying it (the app's initial-JavaScript budget, scripts/budget.mjs).
 */
import type { MessageList } from './MessageList';

export type Conversation = typeof MessageList;

let conversation: Conversation | null = null;
let loading: Promise<Conversation> | null = null;

/** MessageList, if its chunk has arrived. */
export const loadedConversation = (): Conversation | null => conversation;

export function loadConversation(): Promise<Conversation> {
  loading ??= import('./MessageList').then(
    (module) => (conversation = module.MessageList),
    (error: unknown) => {
      loading = null; // a later render tries again
      throw error;
    },
  );
  return loading;
}
