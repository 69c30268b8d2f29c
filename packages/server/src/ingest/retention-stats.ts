// Per-camera storage figures for the API: bytes used, oldest footage, and how many days of footage
// the camera will keep at its current bitrate: its retention time, or less when its location's
// usable space (size limit or free space above the floor, minus locked footage) runs out first.
import type { Clock } from '../base/index.js';
import type { Catalog } from '../db/index.js';
import type { StorageRegistry } from './storage-registry.js';

export interface CameraStorageStats {
  cameraId: number;
  locationId: number;
  usedBytes: number;
  segmentCount: number;
  oldestTime90k: number | null;
  newestTime90k: number | null;
  retentionDays: number;
  /** Bytes per day written over the last 24 h (scaled up when the history is shorter). */
  bytesPerDay: number;
  /** Days of footage the camera will hold at the current rate; retentionDays when space is ample. */
  predictedRetentionDays: number;
  /** True when space, not the retention time, limits what is kept. */
  limitedBySpace: boolean;
}

const DAY_MS = 86_400_000;

async function bytesPerDay(catalog: Catalog, cameraId: number, nowMs: number): Promise<number> {
  const usage = await catalog.recordings.cameraUsage(cameraId);
  if (usage.oldestTime90k === null) return 0;
  const coverageMs = Math.min(DAY_MS, nowMs - usage.oldestTime90k / 90);
  if (coverageMs < 60_000) return 0;
  const { bytes } = await catalog.recordings.cameraBytesBetween(cameraId, (nowMs - DAY_MS) * 90, nowMs * 90);
  return (bytes * DAY_MS) / coverageMs;
}

export async function cameraStorageStats(
  deps: { catalog: Catalog; registry: StorageRegistry; clock: Clock },
  cameraId: number,
): Promise<CameraStorageStats | undefined> {
  const { catalog, registry, clock } = deps;
  const camera = await catalog.cameras.findById(cameraId);
  if (camera === undefined) return undefined;
  const nowMs = clock.nowMs();
  const usage = await catalog.recordings.cameraUsage(cameraId);
  const retentionDays = camera.retentionMs / DAY_MS;
  const rate = await bytesPerDay(catalog, cameraId, nowMs);
  const locationId = camera.storageLocationId;
  let predicted = retentionDays;
  let limitedBySpace = false;
  const record = registry.record(locationId);
  const location = registry.location(locationId);
  if (record !== undefined && location !== undefined && rate > 0) {
    const { freeBytes } = await location.space();
    const used = await catalog.storageLocations.usedBytes(locationId);
    const locked = await catalog.recordings.lockedBytes(locationId);
    const capacity =
      Math.min(
        record.sizeLimitBytes ?? Number.POSITIVE_INFINITY,
        used + freeBytes - record.freeSpaceFloorBytes,
      ) - locked;
    let locationRate = 0;
    for (const c of await catalog.cameras.list())
      if (c.storageLocationId === locationId && c.enabled)
        locationRate += c.id === cameraId ? rate : await bytesPerDay(catalog, c.id, nowMs);
    const spaceDays = Math.max(0, capacity) / Math.max(locationRate, rate);
    if (spaceDays < retentionDays) {
      predicted = spaceDays;
      limitedBySpace = true;
    }
  }
  return {
    cameraId,
    locationId,
    usedBytes: usage.usedBytes,
    segmentCount: usage.segmentCount,
    oldestTime90k: usage.oldestTime90k,
    newestTime90k: usage.newestTime90k,
    retentionDays,
    bytesPerDay: Math.round(rate),
    predictedRetentionDays: predicted,
    limitedBySpace,
  };
}
