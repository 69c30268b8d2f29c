// SQLite repositories of storage locations (migrations 3 and 6: removed ones), cameras and their
// streams (migration 3).
import type {
  CameraRecord,
  CamerasRepo,
  LocationRemoval,
  StorageLocationRecord,
  StorageLocationsRepo,
  StreamKind,
  StreamRecord,
  StreamsRepo,
} from './recording-catalog.js';
import type { SqliteDb } from './sqlite-catalog.js';

interface LocationRow {
  id: number;
  name: string;
  path: string;
  identity_uuid: string;
  free_space_floor_bytes: number;
  size_limit_bytes: number | null;
  created_at_ms: number;
}
const toLocation = (r: LocationRow): StorageLocationRecord => ({
  id: r.id,
  name: r.name,
  path: r.path,
  identityUuid: r.identity_uuid,
  freeSpaceFloorBytes: r.free_space_floor_bytes,
  sizeLimitBytes: r.size_limit_bytes,
  createdAtMs: r.created_at_ms,
});

interface RemovedRow {
  id: number;
  name: string;
  path: string;
  identity_uuid: string;
  removed_at_ms: number;
}

interface CameraRow {
  id: number;
  name: string;
  enabled: number;
  storage_location_id: number;
  retention_ms: number;
  recording_json: string;
  created_at_ms: number;
  removed_at_ms: number | null;
}
const toCamera = (r: CameraRow): CameraRecord => ({
  id: r.id,
  name: r.name,
  enabled: r.enabled === 1,
  storageLocationId: r.storage_location_id,
  retentionMs: r.retention_ms,
  recording: JSON.parse(r.recording_json) as Record<string, unknown>,
  createdAtMs: r.created_at_ms,
  removedAtMs: r.removed_at_ms,
});

interface StreamRow {
  id: number;
  camera_id: number;
  kind: string;
}
const toStream = (r: StreamRow): StreamRecord => ({
  id: r.id,
  cameraId: r.camera_id,
  kind: r.kind as StreamKind,
});

/** Builds `SET a = ?, b = ?` from the defined keys of a patch; columns maps patch keys to SQL. */
function patchSql(patch: Record<string, unknown>, columns: Record<string, string>) {
  const sets: string[] = [];
  const values: unknown[] = [];
  for (const [key, column] of Object.entries(columns)) {
    const v = patch[key];
    if (v === undefined) continue;
    sets.push(`${column} = ?`);
    values.push(
      typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'object' && v !== null ? JSON.stringify(v) : v,
    );
  }
  return { sets: sets.join(', '), values };
}

export function sqliteLocationsRepo(db: SqliteDb): StorageLocationsRepo {
  // The next ID is above every ID ever used, removed ones too (migration 6): an ID names one location.
  const insert = db.prepare(
    `INSERT INTO storage_locations (id, name, path, identity_uuid, free_space_floor_bytes, size_limit_bytes, created_at_ms)
     VALUES ((SELECT coalesce(max(id), 0) + 1 FROM
               (SELECT id FROM storage_locations UNION ALL SELECT id FROM removed_storage_locations)),
             ?, ?, ?, ?, ?, ?) RETURNING *`,
  );
  const list = db.prepare('SELECT * FROM storage_locations ORDER BY id');
  const byId = db.prepare('SELECT * FROM storage_locations WHERE id = ?');
  const used = db.prepare(
    'SELECT coalesce(sum(size_bytes), 0) AS n FROM storage_usage WHERE location_id = ?',
  );
  const usage = db.prepare(
    `SELECT coalesce(sum(size_bytes), 0) AS bytes, coalesce(sum(segment_count), 0) AS segments
     FROM storage_usage WHERE location_id = ?`,
  );
  const removedList = db.prepare(
    'SELECT * FROM removed_storage_locations ORDER BY removed_at_ms DESC, id DESC',
  );
  const remove = db.transaction((id: number, nowMs: number): LocationRemoval => {
    const row = byId.get(id) as LocationRow | undefined;
    if (row === undefined) return 'not-found';
    const cameras = db
      .prepare('SELECT count(*) AS n FROM cameras WHERE storage_location_id = ? AND removed_at_ms IS NULL')
      .get(id) as { n: number };
    if (cameras.n > 0) return 'has-cameras';
    const segments = db.prepare('SELECT count(*) AS n FROM segments WHERE location_id = ?').get(id) as {
      n: number;
    };
    if (segments.n > 0) return 'has-segments';
    const other = db.prepare('SELECT min(id) AS id FROM storage_locations WHERE id <> ?').get(id) as {
      id: number | null;
    };
    if (other.id === null) return 'last-location';
    db.prepare('UPDATE cameras SET storage_location_id = ? WHERE storage_location_id = ?').run(other.id, id);
    db.prepare('DELETE FROM garbage WHERE location_id = ?').run(id);
    db.prepare('DELETE FROM storage_usage WHERE location_id = ?').run(id);
    db.prepare(
      `INSERT INTO removed_storage_locations (id, name, path, identity_uuid, removed_at_ms)
       VALUES (?, ?, ?, ?, ?)`,
    ).run(row.id, row.name, row.path, row.identity_uuid, nowMs);
    db.prepare('DELETE FROM storage_locations WHERE id = ?').run(id);
    return 'removed';
  });
  return {
    create: async (l) =>
      toLocation(
        insert.get(
          l.name,
          l.path,
          l.identityUuid,
          l.freeSpaceFloorBytes,
          l.sizeLimitBytes,
          l.nowMs,
        ) as LocationRow,
      ),
    list: async () => (list.all() as LocationRow[]).map(toLocation),
    findById: async (id) => {
      const r = byId.get(id) as LocationRow | undefined;
      return r ? toLocation(r) : undefined;
    },
    update: async (id, patch) => {
      const { sets, values } = patchSql(patch, {
        name: 'name',
        freeSpaceFloorBytes: 'free_space_floor_bytes',
        sizeLimitBytes: 'size_limit_bytes',
      });
      if (!sets) return (byId.get(id) as LocationRow | undefined) !== undefined;
      return db.prepare(`UPDATE storage_locations SET ${sets} WHERE id = ?`).run(...values, id).changes > 0;
    },
    usedBytes: async (locationId) => (used.get(locationId) as { n: number }).n,
    usage: async (locationId) => usage.get(locationId) as { bytes: number; segments: number },
    remove: async (id, nowMs) => remove(id, nowMs),
    removed: async () =>
      (removedList.all() as RemovedRow[]).map((r) => ({
        id: r.id,
        name: r.name,
        path: r.path,
        identityUuid: r.identity_uuid,
        removedAtMs: r.removed_at_ms,
      })),
  };
}

export function sqliteCamerasRepo(db: SqliteDb): CamerasRepo {
  const insert = db.prepare(
    `INSERT INTO cameras (name, enabled, storage_location_id, retention_ms, recording_json, created_at_ms)
     VALUES (?, ?, ?, ?, ?, ?) RETURNING *`,
  );
  const byId = db.prepare('SELECT * FROM cameras WHERE id = ?');
  const listAll = db.prepare('SELECT * FROM cameras ORDER BY id');
  const listActive = db.prepare('SELECT * FROM cameras WHERE removed_at_ms IS NULL ORDER BY id');
  const remove = db.prepare(
    'UPDATE cameras SET removed_at_ms = ?, enabled = 0 WHERE id = ? AND removed_at_ms IS NULL',
  );
  return {
    create: async (c) =>
      toCamera(
        insert.get(
          c.name,
          c.enabled === false ? 0 : 1,
          c.storageLocationId,
          c.retentionMs,
          JSON.stringify(c.recording ?? {}),
          c.nowMs,
        ) as CameraRow,
      ),
    findById: async (id) => {
      const r = byId.get(id) as CameraRow | undefined;
      return r ? toCamera(r) : undefined;
    },
    list: async (options) =>
      ((options?.includeRemoved ? listAll : listActive).all() as CameraRow[]).map(toCamera),
    update: async (id, patch) => {
      const { sets, values } = patchSql(patch, {
        name: 'name',
        enabled: 'enabled',
        storageLocationId: 'storage_location_id',
        retentionMs: 'retention_ms',
        recording: 'recording_json',
      });
      if (!sets) return (byId.get(id) as CameraRow | undefined) !== undefined;
      return db.prepare(`UPDATE cameras SET ${sets} WHERE id = ?`).run(...values, id).changes > 0;
    },
    markRemoved: async (id, nowMs) => remove.run(nowMs, id).changes > 0,
  };
}

export function sqliteStreamsRepo(db: SqliteDb): StreamsRepo {
  const upsert = db.prepare(
    `INSERT INTO streams (camera_id, kind) VALUES (?, ?)
     ON CONFLICT (camera_id, kind) DO UPDATE SET kind = excluded.kind RETURNING *`,
  );
  const byId = db.prepare('SELECT * FROM streams WHERE id = ?');
  const find = db.prepare('SELECT * FROM streams WHERE camera_id = ? AND kind = ?');
  const ofCamera = db.prepare('SELECT * FROM streams WHERE camera_id = ? ORDER BY id');
  const maybe = (r: unknown) => (r ? toStream(r as StreamRow) : undefined);
  return {
    ensure: async (cameraId, kind) => toStream(upsert.get(cameraId, kind) as StreamRow),
    findById: async (id) => maybe(byId.get(id)),
    find: async (cameraId, kind) => maybe(find.get(cameraId, kind)),
    listForCamera: async (cameraId) => (ofCamera.all(cameraId) as StreamRow[]).map(toStream),
  };
}
