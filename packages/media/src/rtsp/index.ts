// Public surface of rtsp/: RTSP message layer, authentication, client and server.
export * from './rtsp-errors.js';
export * from './rtsp-headers.js';
export * from './rtsp-message.js';
export * from './rtsp-stream-parser.js';
export * from './rtsp-auth-header.js';
export * from './rtsp-auth.js';
export * from './rtsp-auth-server.js';
export * from './rtsp-url.js';
export * from './rtsp-transport-header.js';
export * from './rtsp-status-error.js';
export * from './rtsp-clock.js';
export * from './rtsp-client-types.js';
export * from './rtsp-client.js';
export * from './rtsp-client-transport-udp.js';
export * from './rtsp-server-types.js';
export * from './rtsp-server.js';
