// Administrators' storage locations at run time: add one (directory checks, identity file, opened in
// the registry at once), change its name, free-space floor or size limit (retention and the state
// re-evaluated at once), remove an unused, empty one; and each location's state and space.
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { formatBinaryBytes } from '@argus/api';
import { ArgusError, type Clock, type Logger } from '../base/index.js';
import type { Catalog, StorageLocationRecord } from '../db/index.js';
import {
  ARGUS_ERR_STORAGE_IDENTITY,
  ARGUS_ERR_STORAGE_IN_USE,
  isStorageError,
  verifyStorageIdentity,
  type SpaceInfo,
} from '../storage/index.js';
import { checkStorageDirectory, createStorageLocation } from './recording-check.js';
import type { RecordingEventBus } from './recording-events.js';
import type { RetentionService } from './retention-service.js';
import type { LocationStatus, StorageRegistry } from './storage-registry.js';

/** The floor of a location added without one, as the default location's. */
export const DEFAULT_FREE_SPACE_FLOOR_BYTES = 1 << 30;

export interface StorageLocationView {
  record: StorageLocationRecord;
  status: LocationStatus;
  /** Why, in words an operator understands. */
  message: string;
  usedBytes: number;
  segmentCount: number;
  /** statfs of the location; undefined while it is unavailable. */
  space: SpaceInfo | undefined;
  cameraCount: number;
}

export interface StorageLocationInput {
  name: string;
  path: string;
  freeSpaceFloorBytes?: number;
  sizeLimitBytes?: number | null;
}

export interface StorageLocationPatchInput {
  name?: string;
  freeSpaceFloorBytes?: number;
  sizeLimitBytes?: number | null;
}

export interface StorageLocationServiceDeps {
  catalog: Catalog;
  registry: StorageRegistry;
  retention: RetentionService;
  events: RecordingEventBus;
  clock: Clock;
  logger: Logger;
}

/** Longest a change waits for the retention pass it causes before answering. */
const REEVALUATE_WAIT_MS = 5000;

/** Sizes in messages (shared with the web client). */
export const formatBytes = formatBinaryBytes;

/** `a` is `b` or lies below it. */
function within(a: string, b: string): boolean {
  const rel = path.relative(b, a);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

const pathInvalid = (message: string): ArgusError =>
  new ArgusError('STORAGE_PATH_INVALID', message, { details: [{ path: 'path', message }] });
const pathInUse = (message: string): ArgusError =>
  new ArgusError('STORAGE_PATH_IN_USE', message, { details: [{ path: 'path', message }] });
const inUse = (message: string): ArgusError => new ArgusError('STORAGE_LOCATION_IN_USE', message);

export class StorageLocationService {
  /** Changes run one at a time, so two requests cannot claim the same directory. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: StorageLocationServiceDeps) {}

  async list(): Promise<StorageLocationView[]> {
    const cameras = await this.deps.catalog.cameras.list();
    const records = await this.deps.catalog.storageLocations.list();
    return Promise.all(
      records.map((r) => this.view(r, cameras.filter((c) => c.storageLocationId === r.id).length)),
    );
  }

  async get(id: number): Promise<StorageLocationView> {
    const record = await this.find(id);
    const cameras = await this.deps.catalog.cameras.list();
    return this.view(record, cameras.filter((c) => c.storageLocationId === id).length);
  }

  /** Adds a location; it can be recorded to as soon as this returns. */
  create(input: StorageLocationInput, byUserId: number | null): Promise<StorageLocationView> {
    return this.serial(async () => {
      const { catalog, registry, clock } = this.deps;
      const name = await this.checkName(input.name);
      const checked = await checkStorageDirectory(input.path);
      if ('problem' in checked) throw pathInvalid(checked.message);
      const dir = path.resolve(input.path);
      const existing = await catalog.storageLocations.list();
      for (const loc of existing) {
        const locReal = await realpath(loc.path).catch(() => path.resolve(loc.path));
        const mine = [dir, checked.realPath];
        const theirs = [path.resolve(loc.path), locReal];
        if (mine.some((a) => theirs.some((b) => a === b)))
          throw pathInUse(`${dir} already is the storage location "${loc.name}"`);
        if (mine.some((a) => theirs.some((b) => within(a, b))))
          throw pathInUse(
            `${dir} lies inside the storage location "${loc.name}" (${loc.path}); choose a directory outside it, on another disk`,
          );
        if (mine.some((a) => theirs.some((b) => within(b, a))))
          throw pathInUse(
            `${dir} contains the storage location "${loc.name}" (${loc.path}); choose a directory that holds no other location`,
          );
      }
      for (const loc of existing)
        if (await this.carries(dir, loc.identityUuid))
          throw pathInUse(
            `${dir} carries the identity file of the storage location "${loc.name}" (${loc.path}): it is the same disk under another path. Choose another directory`,
          );
      // A removed location's directory keeps its identity file: it comes back under the same identity.
      let identityUuid: string | undefined;
      for (const gone of await catalog.storageLocations.removed())
        if (await this.carries(dir, gone.identityUuid)) {
          identityUuid = gone.identityUuid;
          break;
        }
      let record: StorageLocationRecord;
      try {
        record = await createStorageLocation(catalog, {
          name,
          path: dir,
          freeSpaceFloorBytes: input.freeSpaceFloorBytes ?? DEFAULT_FREE_SPACE_FLOOR_BYTES,
          sizeLimitBytes: input.sizeLimitBytes ?? null,
          nowMs: clock.nowMs(),
          ...(identityUuid ? { identityUuid } : {}),
        });
      } catch (err) {
        if (isStorageError(err, ARGUS_ERR_STORAGE_IN_USE))
          throw pathInUse(
            `${dir} already holds the identity file (.argus-storage.json) of a storage location this server does not know, probably another Argus server's. Argus never shares a directory between two locations: choose an empty directory, or delete that file if the other location is no longer used anywhere`,
          );
        if (isStorageError(err, ARGUS_ERR_STORAGE_IDENTITY))
          throw pathInUse(
            `${dir} holds a damaged identity file (.argus-storage.json); choose another directory`,
          );
        if (isStorageError(err)) throw pathInvalid(`The server cannot write to ${dir}: ${err.message}`);
        throw err;
      }
      await registry.refresh(record.id);
      await this.reevaluate();
      this.deps.events.emit({ type: 'location.added', locationId: record.id, name, path: dir, byUserId });
      this.deps.logger.info(
        {
          event: 'location.added',
          locationId: record.id,
          name,
          path: dir,
          freeSpaceFloorBytes: record.freeSpaceFloorBytes,
          sizeLimitBytes: record.sizeLimitBytes,
          reused: identityUuid !== undefined,
          byUserId,
        },
        'storage location added',
      );
      return this.get(record.id);
    });
  }

  /** Renames, or changes the floor or limit; retention and the state follow before this returns. */
  update(
    id: number,
    patch: StorageLocationPatchInput,
    byUserId: number | null,
  ): Promise<StorageLocationView> {
    return this.serial(async () => {
      const { catalog, registry } = this.deps;
      const before = await this.find(id);
      const name = patch.name === undefined ? undefined : await this.checkName(patch.name, id);
      await catalog.storageLocations.update(id, {
        ...(name !== undefined ? { name } : {}),
        ...(patch.freeSpaceFloorBytes !== undefined
          ? { freeSpaceFloorBytes: patch.freeSpaceFloorBytes }
          : {}),
        ...(patch.sizeLimitBytes !== undefined ? { sizeLimitBytes: patch.sizeLimitBytes } : {}),
      });
      await registry.refresh(id);
      await this.reevaluate();
      const after = await this.find(id);
      this.deps.events.emit({
        type: 'location.changed',
        locationId: id,
        name: after.name,
        freeSpaceFloorBytes: after.freeSpaceFloorBytes,
        sizeLimitBytes: after.sizeLimitBytes,
        byUserId,
      });
      this.deps.logger.info(
        {
          event: 'location.changed',
          locationId: id,
          before: {
            name: before.name,
            freeSpaceFloorBytes: before.freeSpaceFloorBytes,
            sizeLimitBytes: before.sizeLimitBytes,
          },
          after: {
            name: after.name,
            freeSpaceFloorBytes: after.freeSpaceFloorBytes,
            sizeLimitBytes: after.sizeLimitBytes,
          },
          byUserId,
        },
        'storage location changed',
      );
      return this.get(id);
    });
  }

  /** Removes a location no camera records to and that holds no indexed footage; files stay. */
  remove(id: number, byUserId: number | null): Promise<void> {
    return this.serial(async () => {
      const { catalog, registry, clock } = this.deps;
      const record = await this.find(id);
      const users = (await catalog.cameras.list()).filter((c) => c.storageLocationId === id);
      if (users.length > 0)
        throw inUse(
          `${users.length === 1 ? 'The camera' : 'The cameras'} ${users.map((c) => `"${c.name}"`).join(', ')} ${users.length === 1 ? 'records' : 'record'} to "${record.name}". Move ${users.length === 1 ? 'it' : 'them'} to another storage location first`,
        );
      const usage = await catalog.storageLocations.usage(id);
      if (usage.segments > 0)
        throw inUse(
          `"${record.name}" still holds ${usage.segments} recording ${usage.segments === 1 ? 'file' : 'files'} (${formatBytes(usage.bytes)}). Retention deletes them when they are older than their cameras' retention time; remove the location after that`,
        );
      const outcome = await catalog.storageLocations.remove(id, clock.nowMs());
      if (outcome === 'last-location')
        throw inUse(`"${record.name}" is the only storage location and cameras need one. Add another first`);
      if (outcome === 'not-found') throw new ArgusError('NOT_FOUND', `No storage location ${id}`);
      if (outcome !== 'removed')
        throw inUse(`"${record.name}" came into use while it was being removed; try again`);
      await registry.refresh(id);
      this.deps.events.emit({
        type: 'location.removed',
        locationId: id,
        name: record.name,
        path: record.path,
        byUserId,
      });
      this.deps.logger.info(
        { event: 'location.removed', locationId: id, name: record.name, path: record.path, byUserId },
        'storage location removed',
      );
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async find(id: number): Promise<StorageLocationRecord> {
    const record = await this.deps.catalog.storageLocations.findById(id);
    if (record === undefined) throw new ArgusError('NOT_FOUND', `No storage location ${id}`);
    return record;
  }

  private async checkName(raw: string, exceptId?: number): Promise<string> {
    const name = raw.trim();
    if (name === '')
      throw new ArgusError('VALIDATION', 'Give the storage location a name', {
        details: [{ path: 'name', message: 'must not be blank' }],
      });
    const taken = (await this.deps.catalog.storageLocations.list()).find(
      (l) => l.id !== exceptId && l.name.toLowerCase() === name.toLowerCase(),
    );
    if (taken) throw new ArgusError('CONFLICT', `A storage location is already called "${taken.name}"`);
    return name;
  }

  private async carries(dir: string, uuid: string): Promise<boolean> {
    return verifyStorageIdentity(dir, uuid).then(
      () => true,
      () => false,
    );
  }

  /**
   * A retention pass that starts after the change: the one in progress (which may have read the old
   * floor) is waited for, then another runs. A failing pass is logged; the change itself stands.
   * The answer waits at most REEVALUATE_WAIT_MS: a raised floor may delete much footage, and the
   * pass goes on after the answer (the state shows the outcome).
   */
  private async reevaluate(): Promise<void> {
    const { retention, logger } = this.deps;
    const pass = (async () => {
      await retention.runOnce();
      await retention.runOnce();
    })().catch((err: unknown) =>
      logger.warn({ event: 'retention.failed', err }, 'retention pass after a storage change failed'),
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, REEVALUATE_WAIT_MS);
      timer.unref();
    });
    await Promise.race([pass, waited]);
    clearTimeout(timer);
  }

  private async view(record: StorageLocationRecord, cameraCount: number): Promise<StorageLocationView> {
    const { registry, catalog } = this.deps;
    const status = registry.status(record.id);
    const location = registry.location(record.id);
    const space = location === undefined ? undefined : await location.space().catch(() => undefined);
    const usage = await catalog.storageLocations.usage(record.id);
    return {
      record,
      status,
      message: describeStatus(status, record, space),
      usedBytes: usage.bytes,
      segmentCount: usage.segments,
      space,
      cameraCount,
    };
  }
}

/** The state in an operator's words, with the figures that explain it. */
export function describeStatus(
  status: LocationStatus,
  record: StorageLocationRecord,
  space: SpaceInfo | undefined,
): string {
  const floor = formatBytes(record.freeSpaceFloorBytes);
  if (status.state === 'unavailable') return status.message;
  if (status.state === 'ok') return 'Cameras can record here.';
  switch (status.reason) {
    case 'write-failed':
      return `The disk refused a write (${status.message}). Recording here is stopped until space returns.`;
    case 'size-limit':
      return `The footage here reached the size limit of ${formatBytes(record.sizeLimitBytes ?? 0)} and only locked footage is left to delete. Recording here is stopped until the limit is raised or footage is unlocked.`;
    case 'only-locked':
      if (space !== undefined && record.freeSpaceFloorBytes > space.totalBytes)
        return `The free-space floor (${floor}) is larger than the disk (${formatBytes(space.totalBytes)}). Recording here is stopped; lower the floor.`;
      if (space !== undefined && space.freeBytes >= record.freeSpaceFloorBytes)
        return `Recording here stopped when the disk was full; it resumes once a little more than the free-space floor of ${floor} is free (now ${formatBytes(space.freeBytes)}).`;
      return `Only ${space === undefined ? 'little' : formatBytes(space.freeBytes)} is free, below the free-space floor of ${floor}, and nothing more may be deleted here (what is left is locked). Recording here is stopped until space returns or the floor is lowered.`;
  }
}
