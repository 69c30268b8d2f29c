// Builds the Fastify application: every route of the @argus/api table with its schemas and
// declared privilege, request IDs, JSON-only bodies with a size limit, one error shape, and
// security headers. A route registered without a privilege is refused at start-up.
import { randomUUID } from 'node:crypto';
import {
  Privileges,
  Routes,
  type HttpRouteId,
  type Privilege,
  type RouteId,
  type RouteSpec,
} from '@argus/api';
import websocketPlugin from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Principal } from '../auth/index.js';
import { ArgusError } from '../base/index.js';
import { sendError } from './error-reply.js';
import { authHandlers } from './handlers-auth.js';
import { cameraHandlers } from './handlers-cameras.js';
import { mediaHandlers } from './handlers-media.js';
import { serverHandlers } from './handlers-server.js';
import { storageHandlers } from './handlers-storage.js';
import { enforcePrivilege } from './privilege-gate.js';
import type { HandlerMap, RouteHandler } from './route-handler.js';
import type { ServerContext } from './server-context.js';
import { serveStatic } from './static-files.js';
import { registerMediaSockets } from './ws-media-routes.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    privilege?: Privilege;
  }
}

export interface RegisteredRoute {
  method: string;
  url: string;
  privilege: Privilege | undefined;
}

const SECURITY_HEADERS = {
  'strict-transport-security': 'max-age=31536000',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; connect-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
};

export interface BuildOptions {
  https?: { key: string; cert: string };
}

export function buildApiApp(
  ctx: ServerContext,
  options: BuildOptions = {},
): { app: FastifyInstance; routes: RegisteredRoute[] } {
  const fastifyOptions: FastifyServerOptions & { https?: { key: string; cert: string } } = {
    loggerInstance: ctx.logger,
    bodyLimit: ctx.bodyLimitBytes,
    genReqId: () => randomUUID(),
    trustProxy: false,
    forceCloseConnections: true,
    return503OnClosing: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  };
  if (options.https) fastifyOptions.https = options.https;
  const app = Fastify(fastifyOptions) as unknown as FastifyInstance;
  const routes: RegisteredRoute[] = [];

  app.addHook('onRoute', (route) => {
    const privilege = route.config?.privilege;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) routes.push({ method, url: route.url, privilege });
    if (!privilege || !Privileges.includes(privilege))
      throw new Error(`route ${methods.join(',')} ${route.url} declares no privilege; every route must`);
  });
  // An empty body labelled JSON (curl -X POST -H 'Content-Type: application/json', many HTTP
  // libraries) is no body rather than malformed JSON: routes without a body accept it, routes with
  // one say what is missing.
  app.addHook('onRequest', async (request) => {
    const type = request.headers['content-type'];
    if (request.headers['content-length'] === '0' && type !== undefined && /^application\/json\b/i.test(type))
      delete request.raw.headers['content-type'];
  });
  app.addHook('onSend', async (request, reply) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) void reply.header(k, v);
    if (request.url.startsWith('/api/')) void reply.header('cache-control', 'no-store');
    void reply.header('x-request-id', String(request.id));
  });
  app.setErrorHandler((error, request, reply) => sendError(request, reply, error));
  app.setNotFoundHandler((request, reply) =>
    sendError(
      request,
      reply,
      new ArgusError('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`),
    ),
  );

  const handlers: HandlerMap<HttpRouteId> = {
    ...authHandlers,
    ...serverHandlers,
    ...cameraHandlers,
    ...storageHandlers,
    ...mediaHandlers,
  };
  for (const id of Object.keys(Routes) as RouteId[]) {
    const spec: RouteSpec = Routes[id];
    if (!spec.websocket) registerRoute(app, ctx, spec, handlers[id as HttpRouteId] as RouteHandler<RouteId>);
  }
  // WebSocket routes need the plugin loaded first: registered in a context after it.
  void app.register(websocketPlugin, { options: { maxPayload: 64 * 1024 } });
  void app.register(async (scoped) => registerMediaSockets(scoped, ctx));

  for (const url of ['/', '/*']) {
    app.route({
      method: 'GET',
      url,
      config: { privilege: 'public' },
      handler: (request, reply) => serveStatic(ctx.webRoot, request, reply),
    });
  }
  return { app, routes };
}

function registerRoute(
  app: FastifyInstance,
  ctx: ServerContext,
  spec: RouteSpec,
  handler: RouteHandler<RouteId>,
): void {
  const response: Record<number, unknown> = {};
  for (const [status, schema] of Object.entries(spec.responses))
    if (schema) response[Number(status)] = schema;
  const schema: Record<string, unknown> = { response };
  if (spec.body) schema['body'] = spec.body;
  if (spec.params) schema['params'] = spec.params;
  if (spec.query) schema['querystring'] = spec.query;
  app.route({
    method: spec.method,
    url: spec.path,
    schema,
    config: { privilege: spec.privilege },
    handler: async (request, reply) => {
      const principal: Principal | undefined = await enforcePrivilege(ctx, request, spec.privilege);
      const result = await handler({
        request,
        reply,
        body: request.body as never,
        params: (request.params ?? {}) as Record<string, unknown>,
        principal,
        ctx,
      });
      return reply.statusCode === 204 ? reply.send() : result;
    },
  });
}
