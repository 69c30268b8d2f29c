// Administrators' camera list: add a camera by RTSP address and credentials, switch it on or off,
// choose how it records, how long footage is kept and (with more than one) the storage location it
// records to, remove it (packages/api schemas.ts Camera*).
import type { CallOptions, Camera, CameraStatus, StorageLocation } from '@argus/api';
import { api } from '../api.js';
import { cardFrame, type ListCard } from './card-frame.js';
import { field, h } from '../dom.js';
import { describeCameraState, describeError } from '../messages.js';
import { cameraCreateBody, parseRetentionDays, type RecordingModeChoice } from './camera-form.js';

const MODES: [RecordingModeChoice, string][] = [
  ['continuous', 'Continuous'],
  ['motion', 'On motion'],
  ['both', 'Continuous + motion'],
  ['off', 'Only by hand'],
];

function modeSelect(value: string, name: string): HTMLSelectElement {
  const select = h('select', { name }, ...MODES.map(([v, label]) => h('option', { value: v }, label)));
  select.value = value;
  return select;
}

export type CamerasCard = ListCard;

export function camerasCard(onCamerasChanged: () => void): CamerasCard {
  const frame = cardFrame('Loading cameras…');
  const { body, report } = frame;
  const statusCells = new Map<number, HTMLElement>();

  const statusContent = (camera: Camera, st: CameraStatus | undefined): (HTMLElement | string | null)[] => {
    const state = st?.state ?? (camera.enabled ? 'connecting' : 'disabled');
    return [
      h('span', { class: `dot ${state}` }),
      describeCameraState(state),
      st?.recording.active ? h('span', { class: 'rec' }, 'REC') : null,
    ];
  };

  const patch = (camera: Camera, change: CallOptions<'updateCamera'>, done: string): void => {
    api.call('updateCamera', { params: { id: camera.id }, ...change }).then(
      () => {
        report(done);
        onCamerasChanged();
        void refresh();
      },
      (e: unknown) => report(describeError(e), true),
    );
  };

  const row = (camera: Camera, st: CameraStatus | undefined): HTMLElement => {
    const enabled = h('input', { type: 'checkbox', name: 'enabled', 'aria-label': `${camera.name} enabled` });
    enabled.checked = camera.enabled;
    enabled.addEventListener('change', () =>
      patch(
        camera,
        { body: { enabled: enabled.checked } },
        `${camera.name} ${enabled.checked ? 'enabled' : 'disabled'}.`,
      ),
    );
    const mode = modeSelect(camera.recording.mode, 'mode');
    mode.setAttribute('aria-label', `${camera.name} recording`);
    mode.addEventListener('change', () =>
      patch(
        camera,
        { body: { recording: { mode: mode.value as RecordingModeChoice } } },
        `${camera.name} now records: ${mode.selectedOptions[0]?.textContent ?? mode.value}.`,
      ),
    );
    const keep = h('input', {
      type: 'number',
      name: 'retentionDays',
      min: '0.01',
      max: '3650',
      step: 'any',
      value: String(camera.retentionDays),
      'aria-label': `${camera.name} keep footage (days)`,
      class: 'narrow',
    });
    keep.addEventListener('change', () => {
      const days = parseRetentionDays(keep.value);
      if (days === undefined) return report('Keep footage for between 0.01 and 3650 days.', true);
      patch(camera, { body: { retentionDays: days } }, `${camera.name} keeps footage for ${days} days.`);
    });
    const remove = h(
      'button',
      {
        class: 'danger',
        onclick: () => {
          if (!confirm(`Remove ${camera.name}? Its recordings stay until the retention time deletes them.`))
            return;
          api.call('deleteCamera', { params: { id: camera.id } }).then(
            () => {
              report(`${camera.name} removed.`);
              onCamerasChanged();
              void refresh();
            },
            (e: unknown) => report(describeError(e), true),
          );
        },
      },
      'Remove',
    );
    const statusCell = h('td', { class: 'status' }, ...statusContent(camera, st));
    statusCells.set(camera.id, statusCell);
    return h(
      'tr',
      { 'data-camera-id': String(camera.id) },
      h('td', {}, h('strong', {}, camera.name), h('div', { class: 'muted small url' }, camera.mainUrl)),
      statusCell,
      h('td', {}, mode),
      h('td', {}, keep),
      locations.length > 1 ? h('td', {}, storageSelect(camera)) : null,
      h('td', {}, enabled),
      h('td', {}, remove),
    );
  };

  /** Where a camera records; offered only when there is a choice. */
  const storageSelect = (camera: Camera): HTMLSelectElement => {
    const select = h(
      'select',
      { name: 'storageLocation', 'aria-label': `${camera.name} storage` },
      ...locations.map((l) => h('option', { value: String(l.id) }, l.name)),
    );
    select.value = String(camera.storageLocationId);
    select.addEventListener('change', () => {
      const to = locations.find((l) => String(l.id) === select.value);
      patch(
        camera,
        { body: { storageLocationId: Number(select.value) } },
        `${camera.name} now records to ${to?.name ?? 'the chosen location'}. Its earlier footage stays where it is.`,
      );
    });
    return select;
  };

  let locations: StorageLocation[] = [];
  let shown: Camera[] = [];
  const fetchStatuses = (cameras: Camera[]): Promise<(CameraStatus | undefined)[]> =>
    Promise.all(
      cameras.map((c) => api.call('cameraStatus', { params: { id: c.id } }).catch(() => undefined)),
    );
  /** Status cells only, so a periodic update never disturbs a field being edited. */
  const refreshStatuses = async (): Promise<void> => {
    const statuses = await fetchStatuses(shown);
    if (frame.disposed) return;
    shown.forEach((c, i) =>
      statusCells.get(c.id)?.replaceChildren(...statusContent(c, statuses[i]).filter((n) => n !== null)),
    );
  };

  const refresh = async (): Promise<void> => {
    try {
      const [{ cameras }, storage] = await Promise.all([
        api.call('listCameras'),
        api.call('listStorageLocations').catch(() => ({ locations: [] })),
      ]);
      shown = cameras;
      locations = storage.locations;
      statusCells.clear();
      const statuses = await fetchStatuses(cameras);
      if (frame.disposed) return;
      const headings = ['Camera', 'Status', 'Recording', 'Keep (days)'];
      if (locations.length > 1) headings.push('Storage');
      body.replaceChildren(
        cameras.length === 0
          ? h('p', { class: 'muted' }, 'No cameras yet. Add the first one below.')
          : h(
              'div',
              { class: 'table-scroll' },
              h(
                'table',
                { class: 'cameras' },
                h('thead', {}, h('tr', {}, ...[...headings, 'On', ''].map((t) => h('th', {}, t)))),
                h('tbody', {}, ...cameras.map((c, i) => row(c, statuses[i]))),
              ),
            ),
      );
    } catch (e) {
      if (!frame.disposed) report(describeError(e), true);
    }
  };

  const name = h('input', {
    name: 'cameraName',
    required: true,
    maxlength: '100',
    placeholder: 'e.g. Main gate',
  });
  const mainUrl = h('input', {
    name: 'mainUrl',
    required: true,
    placeholder: 'rtsp://192.0.2.10/axis-media/media.amp',
    inputmode: 'url',
    autocomplete: 'off',
  });
  const subUrl = h('input', { name: 'subUrl', placeholder: 'optional, for small tiles', inputmode: 'url' });
  const user = h('input', { name: 'cameraUser', autocomplete: 'off' });
  const pass = h('input', { name: 'cameraPassword', type: 'password', autocomplete: 'new-password' });
  const mode = modeSelect('continuous', 'newMode');
  const keep = h('input', {
    name: 'newRetentionDays',
    type: 'number',
    min: '0.01',
    step: 'any',
    value: '30',
  });
  const add = h('button', { type: 'submit', class: 'primary' }, 'Add camera');
  const form = h(
    'form',
    {
      class: 'add-camera',
      onsubmit: (event: Event) => {
        event.preventDefault();
        const built = cameraCreateBody({
          name: name.value,
          mainUrl: mainUrl.value,
          subUrl: subUrl.value,
          username: user.value,
          password: pass.value,
          mode: mode.value as RecordingModeChoice,
          retentionDays: keep.value,
        });
        if ('problem' in built) return report(built.problem, true);
        add.disabled = true;
        api
          .call('createCamera', { body: built.body })
          .then(
            (created) => {
              report(`${created.name} added. It starts recording as soon as it connects.`);
              form.reset();
              keep.value = '30';
              onCamerasChanged();
              void refresh();
            },
            (e: unknown) => report(describeError(e), true),
          )
          .finally(() => (add.disabled = false));
      },
    },
    h('h3', {}, 'Add a camera'),
    h(
      'div',
      { class: 'form-grid' },
      field('Name', name),
      field('Stream address', mainUrl, 'The camera’s RTSP address (main stream).'),
      field('Sub stream address', subUrl),
      field('User name', user),
      field('Password', pass, 'Stored encrypted; never shown again.'),
      field('Recording', mode),
      field('Keep footage (days)', keep),
    ),
    add,
  );

  return frame.finish({
    id: 'cameras-settings',
    title: 'Cameras',
    form,
    refresh,
    everyMs: 5_000,
    onTick: () => void refreshStatuses(),
  });
}
