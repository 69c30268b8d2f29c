// One tile of the live split: the camera's video over its own socket, the name and recording
// badge overlaid, the delay from camera to screen, snapshot / record by hand / enlarge / fullscreen
// / remove, and what is wrong in plain words when there is no picture.
import type { Camera, CameraStatus } from '@argus/api';
import { h } from '../dom.js';
import { fetchAndSave } from '../download-file.js';
import { liveSocketUrl, mediaFileName, snapshotUrl, type StreamKind } from '../media-urls.js';
import { describeError, describeVideoState, type VideoState } from '../messages.js';
import { formatLatency } from '../player/media-clock.js';
import { createMsePlayer, type MsePlayer } from '../player/mse-player.js';
import { api } from '../api.js';
import { mayUse, type ShellContext } from '../shell-context.js';
import { stateOf } from './camera-list.js';

export interface TileActions {
  toggleEnlarge(): void;
  fullscreen(): void;
  remove(): void;
}

export interface LiveTile {
  element: HTMLElement;
  readonly cameraId: number;
  readonly stream: StreamKind;
  readonly player: MsePlayer;
  setStatus(status: CameraStatus | undefined, camera: Camera): void;
  setEnlarged(enlarged: boolean): void;
  dispose(): void;
}

export function createLiveTile(
  ctx: ShellContext,
  camera: Camera,
  stream: StreamKind,
  enlarged: boolean,
  actions: TileActions,
): LiveTile {
  const video = h('video', {
    muted: true,
    playsinline: true,
    disablepictureinpicture: true,
    'aria-label': camera.name,
  });
  const message = h('p', { class: 'tile-message', role: 'status' });
  const latency = h(
    'span',
    {
      class: 'latency',
      // The frame's time comes from the camera's clock (RTCP sender reports), else its arrival at
      // the server; the figure is right when camera, server and browser clocks agree (NTP).
      title: 'Delay from camera to screen (needs the camera, server and browser clocks in step)',
    },
    '—',
  );
  const rec = h('span', { class: 'rec', hidden: true }, 'REC');
  let flash: ReturnType<typeof setTimeout> | undefined;
  const snapshot = h(
    'button',
    {
      class: 'icon',
      title: 'Save a snapshot (JPEG)',
      'aria-label': `Snapshot of ${camera.name}`,
      onclick: () => {
        snapshot.disabled = true;
        const name = mediaFileName(camera.name, ctx.zone.formatDateTime(Date.now()), 'jpg');
        fetchAndSave(snapshotUrl(camera.id), name)
          .then(
            () => note('Snapshot saved.'),
            (e: unknown) => note(`No snapshot: ${describeError(e)}`),
          )
          .finally(() => (snapshot.disabled = false));
      },
    },
    'Snapshot',
  );
  // Manual recording: on until stopped, over the method and schedule, also across server restarts.
  let manual = false;
  const record = h('button', {
    class: 'icon record',
    hidden: !mayUse(ctx, 'manualRecording'),
    onclick: () => {
      record.disabled = true;
      const on = !manual;
      api
        .call(on ? 'startCameraRecording' : 'stopCameraRecording', { params: { id: camera.id } })
        .then(
          (status) => {
            showManual(status.recording.manual);
            note(on ? 'Recording by hand until you stop it.' : 'Recording by hand stopped.');
          },
          (e: unknown) => note(`${on ? 'Cannot start' : 'Cannot stop'} recording: ${describeError(e)}`),
        )
        .finally(() => (record.disabled = false));
    },
  });
  const showManual = (on: boolean): void => {
    manual = on;
    record.textContent = on ? 'Stop recording' : 'Record';
    record.title = on ? 'Stop recording by hand' : 'Record by hand until stopped (over the schedule)';
    record.setAttribute('aria-pressed', on ? 'true' : 'false');
  };
  showManual(false);
  const enlarge = h('button', { class: 'icon', onclick: () => actions.toggleEnlarge() });
  const setEnlargeLabel = (on: boolean): void => {
    enlarge.textContent = on ? 'Back' : 'Enlarge';
    enlarge.title = on ? 'Back to the split' : 'Show this camera alone (double-click)';
  };
  setEnlargeLabel(enlarged);
  const element = h(
    'figure',
    { class: 'tile', 'data-camera-id': String(camera.id), 'data-stream': stream },
    video,
    h(
      'figcaption',
      { class: 'tile-top' },
      h('span', { class: 'tile-name' }, camera.name),
      rec,
      h('span', { class: 'spacer' }),
      latency,
    ),
    message,
    h(
      'div',
      { class: 'tile-actions' },
      snapshot,
      record,
      enlarge,
      h('button', { class: 'icon', title: 'Fullscreen', onclick: () => actions.fullscreen() }, 'Fullscreen'),
      h(
        'button',
        {
          class: 'icon',
          title: 'Remove from the split',
          'aria-label': `Remove ${camera.name} from the split`,
          onclick: () => actions.remove(),
        },
        '✕',
      ),
    ),
  );
  element.addEventListener('dblclick', (e) => {
    if ((e.target as HTMLElement).closest('button, a')) return;
    actions.toggleEnlarge();
  });

  let playerState: VideoState = 'connecting';
  let playerDetail: string | undefined;
  let cameraState = stateOf(camera, undefined);
  let noteText = '';
  const note = (text: string): void => {
    noteText = text;
    render();
    clearTimeout(flash);
    flash = setTimeout(() => {
      noteText = '';
      render();
    }, 4000);
  };
  const render = (): void => {
    let text = describeVideoState(playerState, playerDetail);
    if (playerState !== 'playing' && cameraState === 'offline') text = describeVideoState('offline');
    if (playerState !== 'playing' && cameraState === 'disabled') text = describeVideoState('disabled');
    if (noteText) text = noteText;
    message.textContent = text;
    message.hidden = text === '';
    element.dataset['state'] = playerState;
  };
  const player = createMsePlayer({
    video,
    mode: 'live',
    url: () => liveSocketUrl(ctx.origin, camera.id, stream),
    onState: (state, detail) => {
      playerState = state;
      playerDetail = detail;
      render();
    },
  });
  render();
  const readout = setInterval(() => {
    latency.textContent = formatLatency(player.stats.latencyP50Ms);
  }, 1000);

  return {
    element,
    cameraId: camera.id,
    stream,
    player,
    setStatus(status, cam) {
      cameraState = stateOf(cam, status);
      rec.hidden = !status?.recording.active;
      if (status !== undefined) showManual(status.recording.manual);
      render();
    },
    setEnlarged(on) {
      setEnlargeLabel(on);
      element.classList.toggle('enlarged', on);
    },
    dispose() {
      clearInterval(readout);
      clearTimeout(flash);
      player.close();
      element.remove();
    },
  };
}

/** A tile without a camera: shows how to fill it, and becomes the target of the next pick. */
export function emptyTile(selected: boolean, onSelect: () => void): HTMLElement {
  return h(
    'button',
    {
      class: `tile empty${selected ? ' selected' : ''}`,
      onclick: onSelect,
      'aria-pressed': selected ? 'true' : 'false',
    },
    selected ? 'Now pick a camera from the list' : 'Empty — pick a camera from the list',
  );
}
