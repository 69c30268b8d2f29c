// Administrators' storage locations: each with its state in words (ready, full, unavailable and
// why), free space, bytes of footage, cameras; the space to keep free and the size limit edited in
// place; a form to add a location; removal once nothing depends on it (packages/api StorageLocation*).
import type { CallOptions, StorageLocation } from '@argus/api';
import { api } from '../api.js';
import { cardFrame, type ListCard } from './card-frame.js';
import { field, h } from '../dom.js';
import { describeError } from '../messages.js';
import {
  SIZE_LIMIT_MIN_GIB,
  describeLocationState,
  describeSpace,
  floorWarning,
  formatBytes,
  parseGiB,
  removalBlocker,
  storageCreateBody,
  toGiB,
} from './storage-form.js';

export type StorageCard = ListCard;

const STATE_DOT: Record<StorageLocation['state'], string> = {
  ok: 'online',
  full: 'connecting',
  unavailable: 'offline',
};

export function storageCard(onLocationsChanged: () => void): StorageCard {
  const frame = cardFrame('Loading storage locations…');
  const { body, report } = frame;
  /** Cells a periodic update rewrites; the editable fields are left alone. */
  const liveCells = new Map<number, { state: HTMLElement; space: HTMLElement; used: HTMLElement }>();

  const stateContent = (loc: StorageLocation): (HTMLElement | string)[] => [
    h('span', { class: `dot ${STATE_DOT[loc.state]}` }),
    h('span', { class: 'state-word' }, describeLocationState(loc.state)),
    h('div', { class: 'muted small' }, loc.message),
  ];
  const usedText = (loc: StorageLocation): string =>
    `${formatBytes(loc.usedBytes)} in ${loc.segmentCount} ${loc.segmentCount === 1 ? 'file' : 'files'}`;

  const patch = (loc: StorageLocation, change: CallOptions<'updateStorageLocation'>, done: string): void => {
    api.call('updateStorageLocation', { params: { id: loc.id }, ...change }).then(
      (after) => {
        report(after.state === 'ok' ? done : `${done} ${after.message}`, after.state !== 'ok');
        onLocationsChanged();
        void refresh();
      },
      (e: unknown) => {
        report(describeError(e), true);
        void refresh();
      },
    );
  };

  const row = (loc: StorageLocation, count: number): HTMLElement => {
    const floor = h('input', {
      type: 'number',
      name: 'floorGiB',
      min: '0',
      step: 'any',
      value: toGiB(loc.freeSpaceFloorBytes),
      'aria-label': `${loc.name} keep free (GiB)`,
      class: 'narrow',
    });
    floor.addEventListener('change', () => {
      const bytes = parseGiB(floor.value);
      if (bytes === undefined)
        return report('The space to keep free must be a number of GiB (0 or more).', true);
      const warning = floorWarning(loc, bytes);
      if (warning !== undefined && !confirm(warning)) {
        floor.value = toGiB(loc.freeSpaceFloorBytes);
        return;
      }
      patch(loc, { body: { freeSpaceFloorBytes: bytes } }, `${loc.name} keeps ${formatBytes(bytes)} free.`);
    });
    const limit = h('input', {
      type: 'number',
      name: 'limitGiB',
      min: String(SIZE_LIMIT_MIN_GIB),
      step: 'any',
      placeholder: 'none',
      value: loc.sizeLimitBytes === null ? '' : toGiB(loc.sizeLimitBytes),
      'aria-label': `${loc.name} size limit (GiB)`,
      class: 'narrow',
    });
    limit.addEventListener('change', () => {
      if (limit.value.trim() === '')
        return patch(loc, { body: { sizeLimitBytes: null } }, `${loc.name} has no size limit.`);
      const bytes = parseGiB(limit.value, SIZE_LIMIT_MIN_GIB);
      if (bytes === undefined)
        return report(`The size limit must be at least ${SIZE_LIMIT_MIN_GIB} GiB, or empty for none.`, true);
      patch(
        loc,
        { body: { sizeLimitBytes: bytes } },
        `${loc.name} keeps at most ${formatBytes(bytes)} of footage.`,
      );
    });
    const blocker = removalBlocker(loc, count);
    const remove =
      blocker === undefined
        ? h(
            'button',
            {
              class: 'danger',
              onclick: () => {
                if (
                  !confirm(
                    `Remove the storage location ${loc.name}? Its folder and any files in it stay on disk.`,
                  )
                )
                  return;
                api.call('deleteStorageLocation', { params: { id: loc.id } }).then(
                  () => {
                    report(`${loc.name} removed.`);
                    onLocationsChanged();
                    void refresh();
                  },
                  (e: unknown) => report(describeError(e), true),
                );
              },
            },
            'Remove',
          )
        : h('span', { class: 'muted small' }, blocker);
    const cells = {
      state: h('td', { class: 'status' }, ...stateContent(loc)),
      space: h('td', {}, describeSpace(loc)),
      used: h('td', {}, usedText(loc)),
    };
    liveCells.set(loc.id, cells);
    return h(
      'tr',
      { 'data-location-id': String(loc.id) },
      h('td', {}, h('strong', {}, loc.name), h('div', { class: 'muted small url' }, loc.path)),
      cells.state,
      cells.space,
      cells.used,
      h('td', {}, floor),
      h('td', {}, limit),
      h('td', { class: 'camera-count' }, String(loc.cameraCount)),
      h('td', {}, remove),
    );
  };

  let shownIds: number[] = [];
  /** State, space and usage only, so a periodic update never disturbs a field being edited. */
  const refreshLive = async (): Promise<void> => {
    try {
      const { locations } = await api.call('listStorageLocations');
      if (frame.disposed) return;
      if (locations.map((l) => l.id).join() !== shownIds.join()) return void refresh();
      for (const loc of locations) {
        const cells = liveCells.get(loc.id);
        cells?.state.replaceChildren(...stateContent(loc));
        cells?.space.replaceChildren(describeSpace(loc));
        cells?.used.replaceChildren(usedText(loc));
      }
    } catch {
      // the next full refresh reports it
    }
  };

  const refresh = async (): Promise<void> => {
    try {
      const { locations } = await api.call('listStorageLocations');
      if (frame.disposed) return;
      shownIds = locations.map((l) => l.id);
      liveCells.clear();
      body.replaceChildren(
        h(
          'div',
          { class: 'table-scroll' },
          h(
            'table',
            { class: 'storage' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...[
                  'Location',
                  'State',
                  'Free space',
                  'Footage',
                  'Keep free (GiB)',
                  'Size limit (GiB)',
                  'Cameras',
                  '',
                ].map((t) => h('th', {}, t)),
              ),
            ),
            h('tbody', {}, ...locations.map((l) => row(l, locations.length))),
          ),
        ),
      );
    } catch (e) {
      if (!frame.disposed) report(describeError(e), true);
    }
  };

  const name = h('input', {
    name: 'locationName',
    required: true,
    maxlength: '100',
    placeholder: 'e.g. Disk 2',
  });
  const dir = h('input', {
    name: 'locationPath',
    required: true,
    placeholder: '/mnt/disk2/argus',
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const floor = h('input', { name: 'newFloorGiB', type: 'number', min: '0', step: 'any', value: '1' });
  const limit = h('input', {
    name: 'newLimitGiB',
    type: 'number',
    min: String(SIZE_LIMIT_MIN_GIB),
    step: 'any',
    placeholder: 'none',
  });
  const add = h('button', { type: 'submit', class: 'primary' }, 'Add location');
  const form = h(
    'form',
    {
      class: 'add-location',
      onsubmit: (event: Event) => {
        event.preventDefault();
        const built = storageCreateBody({
          name: name.value,
          path: dir.value,
          floorGiB: floor.value,
          limitGiB: limit.value,
        });
        if ('problem' in built) return report(built.problem, true);
        add.disabled = true;
        api
          .call('createStorageLocation', { body: built.body })
          .then(
            (created) => {
              report(
                created.state === 'ok'
                  ? `${created.name} added. Choose it for a camera under Cameras to record there.`
                  : `${created.name} added. ${created.message}`,
                created.state !== 'ok',
              );
              form.reset();
              floor.value = '1';
              onLocationsChanged();
              void refresh();
            },
            (e: unknown) => report(describeError(e), true),
          )
          .finally(() => (add.disabled = false));
      },
    },
    h('h3', {}, 'Add a storage location'),
    h(
      'div',
      { class: 'form-grid' },
      field('Name', name),
      field(
        'Folder',
        dir,
        'Full path of an existing folder the server can write to, usually where a disk is mounted.',
      ),
      field('Keep free (GiB)', floor, 'Oldest footage is deleted to keep this much space free.'),
      field('Size limit (GiB)', limit, 'Most footage kept here; empty for no limit.'),
    ),
    add,
  );

  return frame.finish({
    id: 'storage-settings',
    title: 'Storage',
    form,
    refresh,
    everyMs: 10_000,
    onTick: () => void refreshLive(),
  });
}
