export { useConnection } from './chat-context';
export { ChatProvider } from './ChatProvider';
export { ChatPage } from './components/ChatPage';
