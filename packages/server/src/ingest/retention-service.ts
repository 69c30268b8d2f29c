// Retention, enforced continuously: per camera by age, and per location by space (free-space floor,
// optional size limit) deleting the oldest unlocked whole segments first. Locked footage is never
// deleted: when only locked footage is left the location is marked full (recording stops there,
// with an event) until space returns. Row removal and file deletion go through the garbage queue.
// The index ages with the footage: gap and motion rows and empty runs before the horizon go too.
import type { Clock, Logger } from '../base/index.js';
import type { Catalog, IndexPrune, SegmentRecord } from '../db/index.js';
import type { RecordingEventBus } from './recording-events.js';
import type { StorageRegistry } from './storage-registry.js';

export interface RetentionOptions {
  /** Pass interval of start(); default 10 s. */
  intervalMs?: number;
  /** Space reclaimed beyond the floor/limit, and required back before recording resumes; default 64 MiB. */
  headroomBytes?: number;
  /** Segments fetched per query; default 200. */
  batchSize?: number;
  timers?: {
    setInterval: (fn: () => void, ms: number) => unknown;
    clearInterval: (handle: unknown) => void;
  };
}

export interface RetentionDeps {
  catalog: Catalog;
  registry: StorageRegistry;
  events: RecordingEventBus;
  clock: Clock;
  logger?: Logger;
}

export interface LocationPass {
  state: 'ok' | 'full' | 'unavailable';
  freeBytes: number;
  usedBytes: number;
}

export interface RetentionPassResult {
  deletedByAge: { segments: number; bytes: number };
  deletedBySpace: { segments: number; bytes: number };
  locations: Map<number, LocationPass>;
}

export class RetentionService {
  private running: Promise<RetentionPassResult> | undefined;
  private handle: unknown;
  private readonly headroomBytes: number;
  private readonly batchSize: number;
  private readonly timers: NonNullable<RetentionOptions['timers']>;

  constructor(
    private readonly deps: RetentionDeps,
    private readonly options: RetentionOptions = {},
  ) {
    this.headroomBytes = options.headroomBytes ?? 64 << 20;
    this.batchSize = options.batchSize ?? 200;
    this.timers = options.timers ?? {
      setInterval: (fn, ms) => setInterval(fn, ms).unref(),
      clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
    };
  }

  /** Runs a pass every intervalMs (and one now). */
  start(): void {
    if (this.handle !== undefined) return;
    const tick = (): void => {
      void this.runOnce().catch((err: unknown) =>
        this.deps.logger?.error({ event: 'retention.failed', err }, 'retention pass failed'),
      );
    };
    this.handle = this.timers.setInterval(tick, this.options.intervalMs ?? 10_000);
    tick();
  }

  async stop(): Promise<void> {
    if (this.handle !== undefined) this.timers.clearInterval(this.handle);
    this.handle = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One pass; concurrent calls share the pass in progress. */
  runOnce(): Promise<RetentionPassResult> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<RetentionPassResult> {
    const { catalog, registry, clock } = this.deps;
    await registry.verifyAll();
    const result: RetentionPassResult = {
      deletedByAge: { segments: 0, bytes: 0 },
      deletedBySpace: { segments: 0, bytes: 0 },
      locations: new Map(),
    };
    const now90k = clock.nowMs() * 90;
    const horizons: IndexPrune[] = [];
    for (const camera of await catalog.cameras.list({ includeRemoved: true })) {
      const cutoff = now90k - camera.retentionMs * 90;
      // Rows before the horizon go in the same transaction as the footage they describe.
      const prune: IndexPrune[] = [{ cameraId: camera.id, horizon90k: cutoff }];
      horizons.push(...prune);
      for (let i = 0; i < 10_000; i++) {
        const batch = await catalog.recordings.expiredSegments(camera.id, cutoff, this.batchSize);
        if (batch.length === 0) break;
        await this.deleteSegments(batch, 'age', result.deletedByAge, prune);
        if (batch.length < this.batchSize) break;
      }
    }
    for (const id of registry.ids()) result.locations.set(id, await this.reclaimSpace(id, result));
    // Rows that aged out without footage (idle cameras, motion only, empty runs), or that only
    // footage deleted for space still covered.
    await catalog.recordings.pruneIndex(horizons);
    return result;
  }

  private async reclaimSpace(locationId: number, result: RetentionPassResult): Promise<LocationPass> {
    const { catalog, registry } = this.deps;
    const location = registry.location(locationId);
    const record = registry.record(locationId);
    if (location === undefined || record === undefined)
      return { state: 'unavailable', freeBytes: 0, usedBytes: 0 };
    await this.collectGarbage(locationId);
    let { freeBytes } = await location.space();
    let usedBytes = await catalog.storageLocations.usedBytes(locationId);
    const floor = record.freeSpaceFloorBytes;
    const limit = record.sizeLimitBytes ?? Number.POSITIVE_INFINITY;
    const status = registry.status(locationId);
    const wasFull = status.state === 'full';
    const shortage = (): number => Math.max(floor - freeBytes, usedBytes - limit, 0);
    // Reclaim past the floor by the headroom, so recording does not stop and start at every pass.
    if (shortage() > 0 || wasFull) {
      const target = shortage() + this.headroomBytes;
      let freed = 0;
      for (let i = 0; i < 10_000 && freed < target; i++) {
        const batch = await catalog.recordings.oldestUnlockedSegments(locationId, this.batchSize);
        if (batch.length === 0) break;
        const take: SegmentRecord[] = [];
        for (const s of batch) {
          if (freed >= target) break;
          take.push(s);
          freed += s.sizeBytes;
        }
        await this.deleteSegments(take, 'space', result.deletedBySpace, await this.prunesAfter(take));
      }
      ({ freeBytes } = await location.space());
      usedBytes = await catalog.storageLocations.usedBytes(locationId);
    }
    const short = shortage();
    const detail = { freeBytes, floorBytes: floor };
    if (short > 0) {
      const sizeLimited = usedBytes > limit;
      const message = sizeLimited
        ? `storage location ${record.name} is at its size limit and only locked footage is left: recording there is stopped`
        : `storage location ${record.name} is below its free-space floor and only locked footage is left: recording there is stopped`;
      registry.setStatus(
        locationId,
        { state: 'full', reason: sizeLimited ? 'size-limit' : 'only-locked', message },
        detail,
      );
      return { state: 'full', freeBytes, usedBytes };
    }
    const resumable =
      freeBytes >= floor + (wasFull ? this.headroomBytes : 0) &&
      usedBytes <= limit - (wasFull ? this.headroomBytes : 0);
    if (wasFull && !resumable) return { state: 'full', freeBytes, usedBytes };
    if (wasFull) registry.setStatus(locationId, { state: 'ok' }, detail);
    return { state: 'ok', freeBytes, usedBytes };
  }

  /** For footage deleted for space: each camera's rows up to the end of what it lost. */
  private async prunesAfter(segments: readonly SegmentRecord[]): Promise<IndexPrune[]> {
    const horizonOf = new Map<number, number>();
    for (const s of segments)
      horizonOf.set(s.streamId, Math.max(horizonOf.get(s.streamId) ?? 0, s.endTime90k));
    const byCamera = new Map<number, number>();
    for (const [streamId, horizon] of horizonOf) {
      const stream = await this.deps.catalog.streams.findById(streamId);
      if (stream !== undefined)
        byCamera.set(stream.cameraId, Math.max(byCamera.get(stream.cameraId) ?? 0, horizon));
    }
    return [...byCamera].map(([cameraId, horizon90k]) => ({ cameraId, horizon90k }));
  }

  /** Rows out (to the garbage queue) in one transaction, then files, then the queue entries. */
  private async deleteSegments(
    segments: readonly SegmentRecord[],
    reason: 'age' | 'space',
    tally: { segments: number; bytes: number },
    prune: readonly IndexPrune[],
  ): Promise<void> {
    if (segments.length === 0) return;
    const { catalog, events, logger } = this.deps;
    await catalog.recordings.deleteSegments(
      segments.map((s) => s.id),
      reason,
      prune,
    );
    const byLocation = new Map<number, SegmentRecord[]>();
    for (const s of segments) byLocation.set(s.locationId, [...(byLocation.get(s.locationId) ?? []), s]);
    for (const [locationId, list] of byLocation) {
      const bytes = list.reduce((a, s) => a + s.sizeBytes, 0);
      tally.segments += list.length;
      tally.bytes += bytes;
      const oldest = Math.min(...list.map((s) => s.startTime90k));
      events.emit({
        type: 'retention.deleted',
        locationId,
        reason,
        segmentCount: list.length,
        bytes,
        oldestDeletedTime90k: oldest,
      });
      logger?.info(
        { event: 'retention.deleted', locationId, reason, segments: list.length, bytes },
        'retention deleted footage',
      );
    }
    for (const locationId of byLocation.keys()) await this.collectGarbage(locationId);
  }

  /** Deletes queued files of a location (while it is available) and forgets them. */
  private async collectGarbage(locationId: number): Promise<void> {
    const { catalog, registry } = this.deps;
    const location = registry.location(locationId);
    if (location === undefined) return;
    const entries = (await catalog.recordings.garbage()).filter((g) => g.locationId === locationId);
    if (entries.length === 0) return;
    const dirs = new Set<string>();
    for (const g of entries) {
      await location.remove(g.path);
      dirs.add(g.path.slice(0, g.path.lastIndexOf('/')));
    }
    for (const d of dirs) await location.syncDirOf(`${d}/x`);
    await catalog.recordings.removeGarbage(entries.map((g) => g.id));
  }
}
