// The storage locations of this server at run time: each opened after its identity check, with a
// status recorders consult before writing ('full' and 'unavailable' stop recording there) that
// retention and identity re-checks update, announcing every change on the event bus.
import type { Catalog, StorageLocationRecord } from '../db/index.js';
import { StorageLocation, isStorageError } from '../storage/index.js';
import type { RecordingEventBus } from './recording-events.js';

export type LocationStatus =
  | { state: 'ok' }
  | { state: 'full'; reason: 'only-locked' | 'write-failed' | 'size-limit'; message: string }
  | { state: 'unavailable'; code: string; message: string };

interface Entry {
  record: StorageLocationRecord;
  location: StorageLocation | undefined;
  status: LocationStatus;
}

export class StorageRegistry {
  private readonly entries = new Map<number, Entry>();

  constructor(
    private readonly catalog: Catalog,
    private readonly events: RecordingEventBus,
  ) {}

  /** Opens every location of the catalog; a location that fails its identity check is 'unavailable'. */
  async openAll(): Promise<void> {
    for (const record of await this.catalog.storageLocations.list()) await this.refresh(record.id);
  }

  /** (Re)reads a location's row and re-checks its identity file. */
  async refresh(locationId: number): Promise<LocationStatus> {
    const record = await this.catalog.storageLocations.findById(locationId);
    if (record === undefined) {
      this.entries.delete(locationId);
      return {
        state: 'unavailable',
        code: 'ARGUS_ERR_STORAGE_MISSING',
        message: `no storage location ${locationId}`,
      };
    }
    const prev = this.entries.get(locationId);
    const entry: Entry = prev ?? { record, location: undefined, status: { state: 'ok' } };
    entry.record = record;
    this.entries.set(locationId, entry);
    try {
      if (entry.location === undefined || entry.location.root !== record.path)
        entry.location = await StorageLocation.open({
          id: record.id,
          path: record.path,
          identityUuid: record.identityUuid,
        });
      else await entry.location.verify();
      if (entry.status.state === 'unavailable') this.setStatus(locationId, { state: 'ok' });
    } catch (err) {
      if (!isStorageError(err)) throw err;
      this.setStatus(locationId, { state: 'unavailable', code: err.code, message: err.message });
    }
    return entry.status;
  }

  /** Re-checks every location (periodically, and before recording restarts). */
  async verifyAll(): Promise<void> {
    for (const id of [...this.entries.keys()]) await this.refresh(id);
  }

  ids(): number[] {
    return [...this.entries.keys()];
  }

  record(locationId: number): StorageLocationRecord | undefined {
    return this.entries.get(locationId)?.record;
  }

  /** The opened location, or undefined while it is unavailable (or unknown). */
  location(locationId: number): StorageLocation | undefined {
    const e = this.entries.get(locationId);
    return e?.status.state === 'unavailable' ? undefined : e?.location;
  }

  status(locationId: number): LocationStatus {
    return (
      this.entries.get(locationId)?.status ?? {
        state: 'unavailable',
        code: 'ARGUS_ERR_STORAGE_MISSING',
        message: `storage location ${locationId} is not open`,
      }
    );
  }

  isWritable(locationId: number): boolean {
    return this.status(locationId).state === 'ok';
  }

  setStatus(
    locationId: number,
    status: LocationStatus,
    detail?: { freeBytes: number; floorBytes: number },
  ): void {
    const entry = this.entries.get(locationId);
    if (entry === undefined) return;
    const before = entry.status;
    entry.status = status;
    if (before.state === status.state) return;
    if (status.state === 'ok') this.events.emit({ type: 'location.writable', locationId });
    else if (status.state === 'full')
      this.events.emit({
        type: 'location.full',
        locationId,
        reason: status.reason,
        freeBytes: detail?.freeBytes ?? 0,
        floorBytes: detail?.floorBytes ?? entry.record.freeSpaceFloorBytes,
        message: status.message,
      });
    else
      this.events.emit({
        type: 'location.unavailable',
        locationId,
        code: status.code,
        message: status.message,
      });
  }
}
