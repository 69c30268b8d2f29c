// Handlers for server identity, settings, users and the OpenAPI document.
import { API_VERSION, buildOpenApi } from '@argus/api';
import { ArgusError } from '../base/index.js';
import { isTimeZone } from './handlers-auth.js';
import { userDto } from './dto.js';
import { requirePrincipal, type HandlerMap } from './route-handler.js';

export const serverHandlers: HandlerMap<
  'hello' | 'openapi' | 'serverInfo' | 'serverSettings' | 'listUsers' | 'createUser' | 'changeOwnPassword'
> = {
  async hello({ ctx }) {
    return {
      product: 'Argus',
      apiVersion: 1,
      serverName: (await ctx.settings()).serverName,
      certificateId: ctx.certificateId,
      setupRequired: (await ctx.catalog.users.count()) === 0,
    };
  },
  async openapi() {
    return buildOpenApi(API_VERSION);
  },
  async serverInfo({ ctx }) {
    return ctx.serverInfo();
  },
  async serverSettings({ ctx, body }) {
    if (body.timeZone !== undefined && !isTimeZone(body.timeZone))
      throw new ArgusError('VALIDATION', `Unknown time zone "${body.timeZone}"`);
    await ctx.updateSettings(body);
    return ctx.serverInfo();
  },
  async listUsers({ ctx }) {
    return { users: (await ctx.catalog.users.list()).map(userDto) };
  },
  async createUser({ ctx, reply, body }) {
    const user = await ctx.auth.createUser(body.username, body.password, body.role);
    void reply.status(201);
    return userDto(user);
  },
  async changeOwnPassword({ ctx, reply, principal, body }) {
    await ctx.auth.changePassword(requirePrincipal(principal), body.currentPassword, body.newPassword);
    void reply.status(204);
    return undefined;
  },
};
