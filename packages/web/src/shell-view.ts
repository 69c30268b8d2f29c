// The signed-in shell: a header with the Live view, Recordings and Settings tabs, hash routing
// (#/live, #/recordings, #/settings) so a reload keeps the tab, and teardown of the tab left.
import { ApiError, type ServerInfo, type SessionInfo } from '@argus/api';
import { api } from './api.js';
import { h, mount } from './dom.js';
import { formatRoute, parseRoute, TABS, type Route, type Tab } from './hash-route.js';
import { liveView } from './live/live-view.js';
import { recordingsView } from './recordings/recordings-view.js';
import { settingsView } from './settings/settings-view.js';
import type { ShellContext, View } from './shell-context.js';
import { createZoneTime, type ZoneTime } from './time/zone-time.js';

const TAB_LABELS: Record<Tab, string> = { live: 'Live view', recordings: 'Recordings', settings: 'Settings' };

function zoneOf(timeZone: string): ZoneTime {
  try {
    return createZoneTime(timeZone);
  } catch {
    return createZoneTime('UTC'); // a zone this browser does not know: show UTC rather than nothing
  }
}

/** The manual: a viewer has live video only, no recorded video. */
const tabsFor = (role: string): readonly Tab[] =>
  role === 'viewer' ? TABS.filter((t) => t !== 'recordings') : TABS;

function createView(ctx: ShellContext, route: Route): View {
  if (!tabsFor(ctx.session.user.role).includes(route.tab))
    return {
      element: h(
        'main',
        { class: 'grid' },
        h(
          'section',
          { class: 'card' },
          h('p', {}, 'Your role does not include recorded video. Ask an administrator.'),
        ),
      ),
      dispose: () => undefined,
    };
  switch (route.tab) {
    case 'live':
      return liveView(ctx, route);
    case 'recordings':
      return recordingsView(ctx, route);
    case 'settings':
      return settingsView(ctx);
  }
}

/** Renders the shell into `root`; returns its teardown (logout, session end). */
export function renderShell(
  root: HTMLElement,
  session: SessionInfo,
  info: ServerInfo,
  onLogout: () => void,
): () => void {
  const tabs = new Map<Tab, HTMLAnchorElement>(
    tabsFor(session.user.role).map((t) => [
      t,
      h('a', { href: formatRoute({ tab: t } as Route), class: 'tab', 'data-tab': t }, TAB_LABELS[t]),
    ]),
  );
  const slot = h('div', { class: 'view' });
  let current: { tab: Tab; view: View } | undefined;
  let disposed = false;

  // a session that ended elsewhere (logout, expiry, password change) returns to the login page
  const sessionTimer = setInterval(() => {
    api.call('session').catch((e: unknown) => {
      if (e instanceof ApiError && e.status === 401 && !disposed) {
        dispose();
        onLogout();
      }
    });
  }, 60_000);

  const dispose = (): void => {
    disposed = true;
    clearInterval(sessionTimer);
    window.removeEventListener('hashchange', show);
    current?.view.dispose();
    current = undefined;
  };

  const ctx: ShellContext = {
    session,
    info,
    zone: zoneOf(info.timeZone),
    origin: { protocol: location.protocol, host: location.host },
    navigate(route, replace = false) {
      const hash = formatRoute(route);
      if (replace) history.replaceState(null, '', hash);
      else if (location.hash !== hash) location.hash = hash;
      else show();
    },
  };

  function show(): void {
    if (disposed) return;
    const route = parseRoute(location.hash);
    // The address names the view from the start, so it can be bookmarked and reloaded as it is.
    if (location.hash === '') history.replaceState(null, '', formatRoute(route));
    for (const [t, a] of tabs) {
      if (t === route.tab) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    if (current?.tab === route.tab && current.view.update?.(route)) return;
    current?.view.dispose();
    const view = createView(ctx, route);
    current = { tab: route.tab, view };
    slot.replaceChildren(view.element);
    document.title = `${TAB_LABELS[route.tab]} — ${info.serverName}`;
  }

  const header = h(
    'header',
    { class: 'bar' },
    h('strong', { class: 'brand' }, 'Argus'),
    h('span', { class: 'muted server-name' }, info.serverName),
    h('nav', { class: 'tabs', 'aria-label': 'Main' }, ...tabs.values()),
    h('span', { class: 'spacer' }),
    h('span', { class: 'user' }, `${session.user.username} (${session.user.role})`),
    h(
      'button',
      {
        onclick: () => {
          dispose();
          void api.call('logout').finally(onLogout);
        },
      },
      'Log out',
    ),
  );
  mount(root, header, slot);
  window.addEventListener('hashchange', show);
  show();
  return dispose;
}
