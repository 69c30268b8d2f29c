// The Live view tab: camera list with status, a split of 1, 4, 9 or 16 tiles (sub stream for
// small tiles, main stream alone or fullscreen), double-click to enlarge and back. Tiles that leave
// the screen close their sockets. The split lives in the address so a reload keeps it.
import type { Camera, CameraStatus } from '@argus/api';
import { api } from '../api.js';
import { h } from '../dom.js';
import type { Route } from '../hash-route.js';
import { describeError } from '../messages.js';
import type { ShellContext, View } from '../shell-context.js';
import { createCameraList } from './camera-list.js';
import {
  LAYOUTS,
  defaultTiles,
  fillTiles,
  gridColumns,
  layoutFor,
  placeCamera,
  pruneTiles,
  resizeTiles,
  streamForTile,
  type Layout,
} from './grid-layout.js';
import { createLiveTile, emptyTile, type LiveTile } from './live-tile.js';

const STATUS_POLL_MS = 5000;
const CAMERA_POLL_MS = 30_000;

export function liveView(ctx: ShellContext, route: Extract<Route, { tab: 'live' }>): View {
  let cameras: Camera[] = [];
  const statuses = new Map<number, CameraStatus>();
  let layout: Layout = route.layout ?? 4;
  let tiles: (number | null)[] = route.tiles ? resizeTiles(route.tiles, layout) : [];
  let enlarged: number | null = null;
  let selected: number | null = null;
  let fullscreen = false;
  let disposed = false;
  const live = new Map<number, LiveTile>();

  const notice = h('p', { class: 'error', role: 'alert', hidden: true });
  const grid = h('div', { class: 'split', 'aria-label': 'Live video' });
  const splitButtons = LAYOUTS.map((n) =>
    h(
      'button',
      {
        class: 'split-button',
        'data-layout': String(n),
        title: `${n} ${n === 1 ? 'camera' : 'cameras'}`,
        onclick: () => setLayout(n),
      },
      String(n),
    ),
  );
  const list = createCameraList((id) => {
    tiles = placeCamera(tiles, id, enlarged ?? selected ?? undefined);
    selected = null;
    render();
  });
  const element = h(
    'main',
    { class: 'live' },
    list.element,
    h(
      'section',
      { class: 'live-main' },
      h('div', { class: 'toolbar' }, h('span', { class: 'muted' }, 'Split'), ...splitButtons),
      notice,
      grid,
    ),
  );

  const setLayout = (n: Layout): void => {
    layout = n;
    enlarged = null;
    tiles = fillTiles(
      resizeTiles(tiles, n),
      cameras.map((c) => c.id),
    );
    render();
  };

  const toggleEnlarge = (index: number): void => {
    enlarged = enlarged === index ? null : index;
    render();
  };

  const goFullscreen = (index: number): void => {
    enlarged = index;
    fullscreen = true;
    render();
    void grid.requestFullscreen?.().catch(() => {
      fullscreen = false;
    });
  };

  const render = (): void => {
    if (disposed) return;
    const byId = new Map(cameras.map((c) => [c.id, c]));
    const visible = enlarged !== null ? [enlarged] : tiles.map((_, i) => i);
    for (const [index, tile] of live) {
      const camera = tiles[index] !== null ? byId.get(tiles[index] ?? -1) : undefined;
      const stream = camera ? streamForTile(layout, enlarged === index, camera.subUrl !== null) : undefined;
      if (!visible.includes(index) || !camera || tile.cameraId !== camera.id || tile.stream !== stream) {
        tile.dispose();
        live.delete(index);
      }
    }
    const children: HTMLElement[] = [];
    for (const index of visible) {
      const camera = byId.get(tiles[index] ?? -1);
      if (!camera) {
        children.push(
          emptyTile(selected === index, () => {
            selected = selected === index ? null : index;
            render();
          }),
        );
        continue;
      }
      let tile = live.get(index);
      if (!tile) {
        tile = createLiveTile(
          ctx,
          camera,
          streamForTile(layout, enlarged === index, camera.subUrl !== null),
          enlarged === index,
          {
            toggleEnlarge: () => toggleEnlarge(index),
            fullscreen: () => goFullscreen(index),
            remove: () => {
              tiles[index] = null;
              if (enlarged === index) enlarged = null;
              render();
            },
          },
        );
        live.set(index, tile);
      }
      tile.setEnlarged(enlarged === index);
      tile.setStatus(statuses.get(camera.id), camera);
      children.push(tile.element);
    }
    grid.replaceChildren(...children);
    grid.style.setProperty('--cols', String(enlarged !== null ? 1 : gridColumns(layout)));
    grid.dataset['layout'] = String(enlarged !== null ? 1 : layout);
    for (const b of splitButtons)
      b.setAttribute('aria-pressed', String(Number(b.dataset['layout']) === layout));
    list.update(cameras, statuses, enlarged !== null ? [tiles[enlarged] ?? null] : tiles);
    ctx.navigate({ tab: 'live', layout, tiles }, true);
  };

  const loadCameras = async (first: boolean): Promise<void> => {
    try {
      cameras = (await api.call('listCameras')).cameras;
      if (disposed) return;
      notice.hidden = true;
      const ids = cameras.map((c) => c.id);
      if (first && !route.tiles) {
        layout = route.layout ?? layoutFor(cameras.length);
        tiles = defaultTiles(ids, layout);
      } else tiles = pruneTiles(resizeTiles(tiles, layout), ids);
      render();
      void loadStatuses();
    } catch (e) {
      notice.textContent = describeError(e);
      notice.hidden = false;
    }
  };

  const loadStatuses = async (): Promise<void> => {
    const results = await Promise.all(
      cameras.map((c) => api.call('cameraStatus', { params: { id: c.id } }).catch(() => undefined)),
    );
    if (disposed) return;
    for (const s of results) if (s) statuses.set(s.cameraId, s);
    const byId = new Map(cameras.map((c) => [c.id, c]));
    for (const tile of live.values()) {
      const camera = byId.get(tile.cameraId);
      if (camera) tile.setStatus(statuses.get(tile.cameraId), camera);
    }
    list.update(cameras, statuses, enlarged !== null ? [tiles[enlarged] ?? null] : tiles);
  };

  const onFullscreenChange = (): void => {
    if (!document.fullscreenElement && fullscreen) {
      fullscreen = false;
      enlarged = null;
      render();
    }
  };
  document.addEventListener('fullscreenchange', onFullscreenChange);
  const statusTimer = setInterval(() => void loadStatuses(), STATUS_POLL_MS);
  const cameraTimer = setInterval(() => void loadCameras(false), CAMERA_POLL_MS);
  void loadCameras(true);

  return {
    element,
    update(next) {
      if (next.tab !== 'live') return false;
      // a link to one camera (e.g. "Jump to live" from recordings): show it alone
      if (next.layout) layout = next.layout;
      if (next.tiles) tiles = resizeTiles(next.tiles, layout);
      enlarged = null;
      render();
      return true;
    },
    dispose() {
      disposed = true;
      clearInterval(statusTimer);
      clearInterval(cameraTimer);
      document.removeEventListener('fullscreenchange', onFullscreenChange);
      for (const tile of live.values()) tile.dispose();
      live.clear();
    },
  };
}
