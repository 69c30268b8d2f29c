// @argus/api: the contract between the server and its clients (web, CLI): routes with their
// privileges, JSON schemas, stable error codes, OpenAPI and a small typed client.
export * from './error-codes.js';
export * from './privileges.js';
export * from './schemas.js';
export * from './storage-schemas.js';
export * from './media-schemas.js';
export * from './route-table.js';
export * from './openapi.js';
export * from './api-client.js';
export * from './media-stream-protocol.js';
export * from './format-bytes.js';
export const API_VERSION = '0.1.0';
export const SESSION_COOKIE = 'argus_session';
export const CSRF_HEADER = 'x-csrf-token';
export const SETUP_TOKEN_HEADER = 'x-argus-setup-token';
