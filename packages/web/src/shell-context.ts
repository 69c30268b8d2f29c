// What every tab of the signed-in shell receives, and what it hands back: its element and a
// dispose() that closes its sockets and timers when the operator leaves the tab.
import { PrivilegeRoles, type Privilege, type ServerInfo, type SessionInfo } from '@argus/api';
import type { Route } from './hash-route.js';
import type { PageOrigin } from './media-urls.js';
import type { ZoneTime } from './time/zone-time.js';

export interface ShellContext {
  session: SessionInfo;
  info: ServerInfo;
  /** The server's time zone: every time on screen is shown in it. */
  zone: ZoneTime;
  origin: PageOrigin;
  /** Go to a route; `replace` rewrites the address without a history entry or re-render. */
  navigate(route: Route, replace?: boolean): void;
}

export interface View {
  element: HTMLElement;
  dispose(): void;
  /** A new route for the same tab; false when the view wants to be rebuilt instead. */
  update?(route: Route): boolean;
}

export const isAdministrator = (ctx: ShellContext): boolean => ctx.session.user.role === 'administrator';

/** The signed-in user's role has this privilege (the server checks it again on every request). */
export const mayUse = (ctx: ShellContext, privilege: Exclude<Privilege, 'public' | 'setup'>): boolean =>
  PrivilegeRoles[privilege].includes(ctx.session.user.role);
