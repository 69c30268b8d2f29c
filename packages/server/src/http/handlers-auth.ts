// Handlers for setup, login, logout, the session, and personal API tokens.
import type { FastifyReply } from 'fastify';
import { hashPassword, setupAllowed } from '../auth/index.js';
import { ArgusError } from '../base/index.js';
import type { SessionRecord, UserRecord } from '../db/index.js';
import { clearedSessionCookie, sessionCookie } from './cookies.js';
import { sessionDto, tokenDto } from './dto.js';
import { requirePrincipal, type HandlerMap } from './route-handler.js';
import type { ServerContext } from './server-context.js';

function setSession(
  ctx: ServerContext,
  reply: FastifyReply,
  started: { sessionId: string; session: SessionRecord; user: UserRecord },
) {
  void reply.header(
    'set-cookie',
    sessionCookie(started.sessionId, Math.floor(ctx.sessionAbsoluteMs / 1000), ctx.cookieSecure),
  );
  return sessionDto(ctx.auth, started.user, started.session);
}

export const authHandlers: HandlerMap<
  'setup' | 'login' | 'logout' | 'session' | 'listTokens' | 'createToken' | 'deleteToken'
> = {
  async setup({ ctx, request, reply, body }) {
    const token = ctx.setupToken();
    if (token === undefined || (await ctx.catalog.users.count()) > 0)
      throw new ArgusError('SETUP_DONE', 'Setup is already complete; log in instead');
    const presented = (request.headers['x-argus-setup-token'] as string | undefined) ?? body.setupToken;
    if (!setupAllowed(request.socket.remoteAddress, presented, token))
      throw new ArgusError(
        'SETUP_NOT_ALLOWED',
        'Setup is accepted only from the server itself or with the setup token printed in its log',
      );
    if (!isTimeZone(body.timeZone))
      throw new ArgusError('VALIDATION', `Unknown time zone "${body.timeZone}"`);
    const user = await ctx.catalog.users.createFirst({
      username: body.administrator.username,
      passwordHash: await hashPassword(body.administrator.password),
      role: 'administrator',
      nowMs: ctx.clock.nowMs(),
    });
    if (!user) throw new ArgusError('SETUP_DONE', 'Setup is already complete; log in instead');
    await ctx.updateSettings({
      serverName: body.serverName,
      timeZone: body.timeZone,
      ntpServer: body.ntpServer ?? null,
    });
    ctx.onSetupComplete();
    request.log.info({ event: 'setup.complete', username: user.username }, 'first-run setup complete');
    const started = await ctx.auth.startSession(user, request.ip, request.headers['user-agent'] ?? null);
    void reply.status(201);
    return setSession(ctx, reply, started);
  },

  async login({ ctx, request, reply, body }) {
    const started = await ctx.auth.login(
      body.username,
      body.password,
      request.ip,
      request.headers['user-agent'] ?? null,
    );
    request.log.info({ event: 'auth.login', username: started.user.username }, 'login');
    return setSession(ctx, reply, started);
  },

  async logout({ ctx, reply, principal }) {
    const p = requirePrincipal(principal);
    if (p.session) await ctx.auth.logout(p.session);
    void reply.header('set-cookie', clearedSessionCookie(ctx.cookieSecure)).status(204);
    return undefined;
  },

  async session({ ctx, principal }) {
    const p = requirePrincipal(principal);
    if (!p.session)
      throw new ArgusError('UNAUTHENTICATED', 'This request is authenticated by an API token, not a session');
    return sessionDto(ctx.auth, p.user, p.session);
  },

  async listTokens({ ctx, principal }) {
    const p = requirePrincipal(principal);
    return { tokens: (await ctx.catalog.tokens.listForUser(p.user.id)).map(tokenDto) };
  },

  async createToken({ ctx, reply, principal, body }) {
    const p = requirePrincipal(principal);
    const { record, secret } = await ctx.auth.createToken(p.user.id, body.name, body.expiresInDays);
    void reply.status(201);
    return { token: tokenDto(record), secret };
  },

  async deleteToken({ ctx, reply, principal, params }) {
    const p = requirePrincipal(principal);
    if (!(await ctx.catalog.tokens.delete(Number(params['id']), p.user.id)))
      throw new ArgusError('NOT_FOUND', 'No such token');
    void reply.status(204);
    return undefined;
  },
};

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
