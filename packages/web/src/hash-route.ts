// Hash routes of the signed-in shell, so a reload keeps the tab, the split and the camera:
// `#/live?layout=4&cams=1,2,,4`, `#/recordings?camera=3&t=1710252333000`, `#/settings`. Pure.
import { isLayout, type Layout } from './live/grid-layout.js';

export type Route =
  | { tab: 'live'; layout?: Layout; tiles?: (number | null)[] }
  | { tab: 'recordings'; cameraId?: number; timeMs?: number }
  | { tab: 'settings' };

export type Tab = Route['tab'];
export const TABS: readonly Tab[] = ['live', 'recordings', 'settings'];

const positiveInt = (v: string | null | undefined): number | undefined =>
  v && /^[1-9][0-9]{0,14}$/.test(v) ? Number(v) : undefined;

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#?\/?/, '').split('?', 2);
  const q = new URLSearchParams(query);
  switch (path) {
    case 'recordings': {
      const cameraId = positiveInt(q.get('camera'));
      const t = q.get('t');
      const timeMs = t && /^[0-9]{1,15}$/.test(t) ? Number(t) : undefined;
      return {
        tab: 'recordings',
        ...(cameraId !== undefined ? { cameraId } : {}),
        ...(timeMs !== undefined ? { timeMs } : {}),
      };
    }
    case 'settings':
      return { tab: 'settings' };
    default: {
      const n = Number(q.get('layout'));
      const layout = isLayout(n) ? n : undefined;
      const cams = q.get('cams');
      const tiles = cams ? cams.split(',').map((c) => positiveInt(c) ?? null) : undefined;
      return {
        tab: 'live',
        ...(layout ? { layout } : {}),
        ...(tiles ? { tiles: layout ? tiles.slice(0, layout) : tiles } : {}),
      };
    }
  }
}

export function formatRoute(route: Route): string {
  const q = new URLSearchParams();
  if (route.tab === 'live') {
    if (route.layout) q.set('layout', String(route.layout));
    if (route.tiles && route.tiles.some((t) => t !== null))
      q.set('cams', route.tiles.map((t) => (t === null ? '' : String(t))).join(','));
  } else if (route.tab === 'recordings') {
    if (route.cameraId !== undefined) q.set('camera', String(route.cameraId));
    if (route.timeMs !== undefined) q.set('t', String(Math.round(route.timeMs)));
  }
  const query = q.toString().replace(/%2C/g, ',');
  return `#/${route.tab}${query ? `?${query}` : ''}`;
}
