// http/: the only folder that knows HTTP. Registers the @argus/api route table on Fastify.
export { buildApiApp, type RegisteredRoute } from './build-api-app.js';
export type { MediaServices, ServerContext, ServerSettings } from './server-context.js';
