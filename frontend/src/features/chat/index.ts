export { useChatController, useConnection } from './chat-context';
export { ChatProvider } from './ChatProvider';
export { ChatPage } from './components/ChatPage';
// The chat without the page around it: the widget's panel shows it too.
export { ChatView, ChatWelcome } from './components/ChatView';
// Conversations, feedback and handoff: the pieces the widget places in its own layout.
export { HandoffButton, HandoffOffer, HandoffPanel } from './components/HandoffPanel';
