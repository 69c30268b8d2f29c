// SQLite repository of manual recording (migration 5). Only an enabled, present camera can hold the
// flag; the migration's trigger drops it when the camera is disabled or removed.
import type { ManualRecordingRecord, ManualRecordingRepo } from './manual-recording-catalog.js';
import type { SqliteDb } from './sqlite-catalog.js';

interface ManualRow {
  camera_id: number;
  started_at_ms: number;
  started_by_user_id: number | null;
}
const toManual = (r: ManualRow): ManualRecordingRecord => ({
  cameraId: r.camera_id,
  startedAtMs: r.started_at_ms,
  startedByUserId: r.started_by_user_id,
});

export function sqliteManualRecordingRepo(db: SqliteDb): ManualRecordingRepo {
  const start = db.prepare(
    `INSERT INTO manual_recordings (camera_id, started_at_ms, started_by_user_id)
     SELECT id, ?, (SELECT u.id FROM users u WHERE u.id = ?) FROM cameras
     WHERE id = ? AND enabled = 1 AND removed_at_ms IS NULL
     ON CONFLICT (camera_id) DO NOTHING`,
  );
  const exists = db.prepare('SELECT 1 FROM manual_recordings WHERE camera_id = ?').pluck();
  const stop = db.prepare('DELETE FROM manual_recordings WHERE camera_id = ?');
  const find = db.prepare('SELECT * FROM manual_recordings WHERE camera_id = ?');
  const list = db.prepare('SELECT * FROM manual_recordings ORDER BY camera_id');
  const startTx = db.transaction((cameraId: number, atMs: number, userId: number | null) => {
    start.run(atMs, userId, cameraId);
    return exists.get(cameraId) !== undefined;
  });
  return {
    start: async (cameraId, atMs, userId) => startTx(cameraId, atMs, userId ?? null),
    stop: async (cameraId) => stop.run(cameraId).changes > 0,
    find: async (cameraId) => {
      const r = find.get(cameraId) as ManualRow | undefined;
      return r ? toManual(r) : undefined;
    },
    list: async () => (list.all() as ManualRow[]).map(toManual),
  };
}
