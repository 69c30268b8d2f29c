// The handler signature every /api/v1 route implements; the map type makes a missing handler a
// compile error, so the route table and the server cannot drift apart.
import type { RouteBody, RouteId } from '@argus/api';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/index.js';
import type { ServerContext } from './server-context.js';

export interface HandlerInput<Id extends RouteId> {
  request: FastifyRequest;
  reply: FastifyReply;
  body: RouteBody<Id>;
  params: Record<string, unknown>;
  /** Present on every route whose privilege is 'authenticated' or 'administrator'. */
  principal: Principal | undefined;
  ctx: ServerContext;
}

export type RouteHandler<Id extends RouteId> = (input: HandlerInput<Id>) => Promise<unknown>;
export type HandlerMap<Ids extends RouteId = RouteId> = { [K in Ids]: RouteHandler<K> };

export function requirePrincipal(principal: Principal | undefined): Principal {
  // The privilege hook has already rejected anonymous requests on these routes.
  if (!principal) throw new Error('route declared authenticated but no principal');
  return principal;
}
