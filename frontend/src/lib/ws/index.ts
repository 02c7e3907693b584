export { ProtocolClient, CLOSE_SERVICE_RESTART } from './client';
export type { ConnectionState, ConnectionStatus, ProtocolClientOptions, SocketFactory, SocketLike } from './client';
export { backoffDelay, DEFAULT_BACKOFF } from './backoff';
export type { BackoffOptions } from './backoff';
