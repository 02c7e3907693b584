export { ChatProvider, useConnection } from './ChatProvider';
export { ChatPage } from './components/ChatPage';
