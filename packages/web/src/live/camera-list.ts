// The live view's camera list: each camera with online/offline and recording state; picking one
// puts it into the split.
import type { Camera, CameraStatus } from '@argus/api';
import { h } from '../dom.js';
import { describeCameraState } from '../messages.js';

export interface CameraList {
  element: HTMLElement;
  update(
    cameras: readonly Camera[],
    statuses: ReadonlyMap<number, CameraStatus>,
    shown: readonly (number | null)[],
  ): void;
}

export function stateOf(camera: Camera, status: CameraStatus | undefined): string {
  if (!camera.enabled) return 'disabled';
  return status?.state ?? 'connecting';
}

export function createCameraList(onPick: (cameraId: number) => void): CameraList {
  const list = h('ul', { class: 'camera-list', 'aria-label': 'Cameras' });
  const element = h('nav', { class: 'cameras-panel' }, h('h2', {}, 'Cameras'), list);
  return {
    element,
    update(cameras, statuses, shown) {
      if (cameras.length === 0) {
        list.replaceChildren(
          h('li', { class: 'muted' }, 'No cameras yet. An administrator adds them under Settings.'),
        );
        return;
      }
      list.replaceChildren(
        ...cameras.map((camera) => {
          const status = statuses.get(camera.id);
          const state = stateOf(camera, status);
          const recording = status?.recording.active ?? false;
          return h(
            'li',
            {},
            h(
              'button',
              {
                class: `camera-item${shown.includes(camera.id) ? ' shown' : ''}`,
                'data-camera-id': String(camera.id),
                'data-state': state,
                title: `Show ${camera.name} in the split`,
                onclick: () => onPick(camera.id),
              },
              h('span', { class: `dot ${state}`, 'aria-hidden': 'true' }),
              h('span', { class: 'name' }, camera.name),
              h('span', { class: 'state muted' }, describeCameraState(state)),
              recording ? h('span', { class: 'rec', title: 'Recording' }, 'REC') : null,
            ),
          );
        }),
      );
    },
  };
}
