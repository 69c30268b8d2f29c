// Deny by default: resolves who is calling (API token or session cookie), enforces the route's
// declared privilege, and checks CSRF on every state-changing request.
import { CSRF_HEADER, PrivilegeRoles, SESSION_COOKIE, type Privilege } from '@argus/api';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/index.js';
import { ArgusError, safeEqual } from '../base/index.js';
import { readCookie } from './cookies.js';
import type { ServerContext } from './server-context.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function resolvePrincipal(
  ctx: ServerContext,
  request: FastifyRequest,
): Promise<Principal | undefined> {
  const authz = request.headers.authorization;
  if (authz !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(authz);
    const principal = m ? await ctx.auth.authenticateToken(m[1]!) : undefined;
    if (!principal) throw new ArgusError('UNAUTHENTICATED', 'The API token is invalid, revoked or expired');
    return principal;
  }
  const sessionId = readCookie(request.headers.cookie, SESSION_COOKIE);
  return sessionId ? ctx.auth.authenticateSession(sessionId) : undefined;
}

/**
 * Cookie sessions must echo their CSRF token in a header (a cross-site form cannot set headers).
 * Without a session (login, setup), a browser's Origin must be this server's own.
 */
export function checkCsrf(request: FastifyRequest, principal: Principal | undefined): void {
  if (SAFE_METHODS.has(request.method)) return;
  if (principal?.via === 'token') return;
  if (principal?.session) {
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !safeEqual(sent, principal.session.csrfToken))
      throw new ArgusError('CSRF', `Missing or wrong ${CSRF_HEADER} header; reload the page`);
    return;
  }
  const origin = request.headers.origin;
  if (
    origin !== undefined &&
    origin !== `https://${request.headers.host ?? ''}` &&
    origin !== `http://${request.headers.host ?? ''}`
  )
    throw new ArgusError('CSRF', 'Cross-origin request refused');
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none')
    throw new ArgusError('CSRF', 'Cross-site request refused');
}

export async function enforcePrivilege(
  ctx: ServerContext,
  request: FastifyRequest,
  privilege: Privilege,
): Promise<Principal | undefined> {
  const principal =
    privilege === 'public' || privilege === 'setup' ? undefined : await resolvePrincipal(ctx, request);
  if (privilege !== 'public' && privilege !== 'setup') {
    if (!principal) {
      if ((await ctx.catalog.users.count()) === 0)
        throw new ArgusError('SETUP_REQUIRED', 'First-run setup has not been completed');
      throw new ArgusError('UNAUTHENTICATED', 'Log in first');
    }
    if (!PrivilegeRoles[privilege].includes(principal.user.role))
      throw new ArgusError('FORBIDDEN', FORBIDDEN_MESSAGE[privilege] ?? 'Your role does not allow this');
  }
  checkCsrf(request, principal);
  return principal;
}

const FORBIDDEN_MESSAGE: Partial<Record<Privilege, string>> = {
  administrator: 'This needs the Administrator role',
  recordedVideo: 'Your role (Viewer) has no access to recorded video',
};

/**
 * WebSocket upgrades carry cookies even when another site opens them and cannot carry a CSRF
 * header, so a browser's Origin must be this server's own (scripts send no Origin).
 */
export function checkWebSocketOrigin(request: FastifyRequest): void {
  const origin = request.headers.origin;
  const host = request.headers.host ?? '';
  if (origin !== undefined && origin !== `https://${host}` && origin !== `http://${host}`)
    throw new ArgusError('CSRF', 'Cross-origin WebSocket refused');
}
