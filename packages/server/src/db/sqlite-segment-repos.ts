// SQLite repository of runs, segments, their fragment indexes and the garbage queue (files whose
// rows are gone but which may still be on disk). Usage totals are kept by triggers (migration 3).
import type {
  GarbageRecord,
  IndexPrune,
  RecordingsRepo,
  RunRecord,
  SegmentRecord,
} from './recording-catalog.js';
import type { SqliteDb } from './sqlite-catalog.js';
import { sqliteIndexPrune } from './sqlite-index-prune.js';

/** The longest wall-clock span one segment may have; range queries rely on it. */
export const SEGMENT_MAX_SPAN_90K = 2 * 3600 * 90_000;

interface SegmentRow {
  id: number;
  stream_id: number;
  run_id: number;
  location_id: number;
  path: string;
  start_time_90k: number;
  end_time_90k: number;
  media_start_90k: number;
  media_duration_90k: number;
  size_bytes: number;
  fragment_count: number;
  codec: string;
  width: number;
  height: number;
  open: number;
}
const toSegment = (r: SegmentRow): SegmentRecord => ({
  id: r.id,
  streamId: r.stream_id,
  runId: r.run_id,
  locationId: r.location_id,
  path: r.path,
  startTime90k: r.start_time_90k,
  endTime90k: r.end_time_90k,
  mediaStart90k: r.media_start_90k,
  mediaDuration90k: r.media_duration_90k,
  sizeBytes: r.size_bytes,
  fragmentCount: r.fragment_count,
  codec: r.codec,
  width: r.width,
  height: r.height,
  open: r.open === 1,
});

interface RunRow {
  id: number;
  stream_id: number;
  start_time_90k: number;
  end_time_90k: number | null;
  end_reason: string | null;
  started_at_ms: number;
}
const toRun = (r: RunRow): RunRecord => ({
  id: r.id,
  streamId: r.stream_id,
  startTime90k: r.start_time_90k,
  endTime90k: r.end_time_90k,
  endReason: r.end_reason,
  startedAtMs: r.started_at_ms,
});

interface GarbageRow {
  id: number;
  location_id: number;
  path: string;
  size_bytes: number;
  reason: string;
}
const toGarbage = (r: GarbageRow): GarbageRecord => ({
  id: r.id,
  locationId: r.location_id,
  path: r.path,
  sizeBytes: r.size_bytes,
  reason: r.reason,
});

const UNLOCKED = `NOT EXISTS (SELECT 1 FROM locks l WHERE l.camera_id = st.camera_id
  AND l.start_time_90k < s.end_time_90k AND l.end_time_90k > s.start_time_90k)`;

export function sqliteRecordingsRepo(db: SqliteDb): RecordingsRepo {
  const p = (sql: string) => db.prepare(sql);
  const q = {
    startRun: p('INSERT INTO runs (stream_id, start_time_90k, started_at_ms) VALUES (?, ?, ?)'),
    endRun: p('UPDATE runs SET end_time_90k = ?, end_reason = ? WHERE id = ? AND end_time_90k IS NULL'),
    openRuns: p('SELECT * FROM runs WHERE end_time_90k IS NULL ORDER BY id'),
    runById: p('SELECT * FROM runs WHERE id = ?'),
    runEnd: p('SELECT max(end_time_90k) AS t FROM segments WHERE run_id = ?'),
    insertSegment: p(
      `INSERT INTO segments (stream_id, run_id, location_id, path, start_time_90k, end_time_90k, media_start_90k,
         media_duration_90k, size_bytes, fragment_count, codec, width, height, open)
       VALUES (@streamId, @runId, @locationId, @path, @startTime90k, @endTime90k, @mediaStart90k,
         @mediaDuration90k, @sizeBytes, @fragmentCount, @codec, @width, @height, @open)`,
    ),
    insertFragments: p('INSERT INTO segment_fragments (segment_id, entries) VALUES (?, ?)'),
    commit: p(
      `UPDATE segments SET end_time_90k = ?, media_duration_90k = ?, size_bytes = ?, fragment_count = ?,
         open = CASE WHEN ? THEN 0 ELSE open END WHERE id = ?`,
    ),
    fragmentsOf: p('SELECT entries FROM segment_fragments WHERE segment_id = ?'),
    replaceFragments: p('UPDATE segment_fragments SET entries = ? WHERE segment_id = ?'),
    byId: p('SELECT * FROM segments WHERE id = ?'),
    byPath: p('SELECT * FROM segments WHERE location_id = ? AND path = ?'),
    open: p('SELECT * FROM segments WHERE open = 1 ORDER BY id'),
    latest: p('SELECT * FROM segments WHERE stream_id = ? ORDER BY start_time_90k DESC LIMIT 1'),
    inRange: p(
      `SELECT * FROM segments WHERE stream_id = ? AND start_time_90k >= ? AND start_time_90k < ?
         AND end_time_90k > ? ORDER BY start_time_90k`,
    ),
    fragments: p('SELECT entries FROM segment_fragments WHERE segment_id = ?'),
    ofCameraAt: p(
      `SELECT s.* FROM segments s JOIN streams st ON st.id = s.stream_id
       WHERE s.location_id = ? AND st.camera_id = ? ORDER BY s.id`,
    ),
    toGarbage: p(
      `INSERT INTO garbage (location_id, path, size_bytes, reason)
       SELECT location_id, path, size_bytes, ? FROM segments WHERE id = ? RETURNING *`,
    ),
    deleteSegment: p('DELETE FROM segments WHERE id = ?'),
    garbage: p('SELECT * FROM garbage ORDER BY id'),
    removeGarbage: p('DELETE FROM garbage WHERE id = ?'),
    expired: p(
      `SELECT s.* FROM segments s JOIN streams st ON st.id = s.stream_id
       WHERE st.camera_id = ? AND s.open = 0 AND s.end_time_90k <= ? AND ${UNLOCKED}
       ORDER BY s.start_time_90k, s.id LIMIT ?`,
    ),
    oldestUnlocked: p(
      `SELECT s.* FROM segments s JOIN streams st ON st.id = s.stream_id
       WHERE s.location_id = ? AND s.open = 0 AND ${UNLOCKED}
       ORDER BY s.start_time_90k, s.id LIMIT ?`,
    ),
    usage: p(
      `SELECT coalesce(sum(u.size_bytes), 0) AS bytes, coalesce(sum(u.segment_count), 0) AS n
       FROM storage_usage u JOIN streams st ON st.id = u.stream_id WHERE st.camera_id = ?`,
    ),
    oldest: p(
      `SELECT min((SELECT min(s.start_time_90k) FROM segments s WHERE s.stream_id = st.id)) AS t
       FROM streams st WHERE st.camera_id = ?`,
    ),
    newest: p(
      `SELECT max((SELECT s.end_time_90k FROM segments s WHERE s.stream_id = st.id
         ORDER BY s.start_time_90k DESC LIMIT 1)) AS t FROM streams st WHERE st.camera_id = ?`,
    ),
    bytesBetween: p(
      `SELECT coalesce(sum(s.size_bytes), 0) AS bytes, coalesce(sum(s.media_duration_90k), 0) AS d
       FROM streams st JOIN segments s ON s.stream_id = st.id
       WHERE st.camera_id = ? AND s.start_time_90k >= ? AND s.start_time_90k < ?`,
    ),
    lockedBytes: p(
      `SELECT coalesce(sum(s.size_bytes), 0) AS n FROM segments s JOIN streams st ON st.id = s.stream_id
       WHERE s.location_id = ? AND NOT ${UNLOCKED}`,
    ),
  };
  const seg = (r: unknown) => (r ? toSegment(r as SegmentRow) : undefined);
  const insertSegment = db.transaction((s: Omit<SegmentRecord, 'id'>, fragments: Uint8Array) => {
    const id = Number(q.insertSegment.run({ ...s, open: s.open ? 1 : 0 }).lastInsertRowid);
    q.insertFragments.run(id, fragments);
    return id;
  });
  const commit = db.transaction((id: number, g: Parameters<RecordingsRepo['commitSegment']>[1]) => {
    q.commit.run(g.endTime90k, g.mediaDuration90k, g.sizeBytes, g.fragmentCount, g.close ? 1 : 0, id);
    if (g.replaceFragments) q.replaceFragments.run(g.appendFragments, id);
    else if (g.appendFragments.length > 0) {
      // `||` would turn the blobs into text: concatenate here, inside the transaction.
      const prev =
        (q.fragmentsOf.get(id) as { entries: Uint8Array } | undefined)?.entries ?? new Uint8Array(0);
      q.replaceFragments.run(Buffer.concat([prev, g.appendFragments]), id);
    }
  });
  const pruneIndex = sqliteIndexPrune(db, SEGMENT_MAX_SPAN_90K);
  const deleteSegments = db.transaction(
    (ids: readonly number[], reason: string, prune: readonly IndexPrune[]) => {
      const out: GarbageRecord[] = [];
      for (const id of ids) {
        const g = q.toGarbage.get(reason, id) as GarbageRow | undefined;
        if (g === undefined) continue;
        q.deleteSegment.run(id);
        out.push(toGarbage(g));
      }
      if (prune.length > 0) pruneIndex(prune);
      return out;
    },
  );
  const removeGarbage = db.transaction((ids: readonly number[]) => {
    for (const id of ids) q.removeGarbage.run(id);
  });
  return {
    startRun: async (r) => Number(q.startRun.run(r.streamId, r.startTime90k, r.startedAtMs).lastInsertRowid),
    endRun: async (id, end, reason) => void q.endRun.run(end, reason, id),
    openRuns: async () => (q.openRuns.all() as RunRow[]).map(toRun),
    runEndTime: async (id) => (q.runEnd.get(id) as { t: number | null }).t,
    runById: async (id) => {
      const r = q.runById.get(id) as RunRow | undefined;
      return r ? toRun(r) : undefined;
    },
    insertSegment: async (s, fragments, open = true) => insertSegment({ ...s, open }, fragments),
    commitSegment: async (id, progress) => commit(id, progress),
    segmentById: async (id) => seg(q.byId.get(id)),
    findByPath: async (locationId, path) => seg(q.byPath.get(locationId, path)),
    openSegments: async () => (q.open.all() as SegmentRow[]).map(toSegment),
    latestSegment: async (streamId) => seg(q.latest.get(streamId)),
    segmentsInRange: async (streamId, from, to) =>
      (q.inRange.all(streamId, from - SEGMENT_MAX_SPAN_90K, to, from) as SegmentRow[]).map(toSegment),
    segmentFragments: async (id) => {
      const r = q.fragments.get(id) as { entries: Uint8Array } | undefined;
      return r ? new Uint8Array(r.entries) : new Uint8Array(0);
    },
    segmentsOfCameraAt: async (locationId, cameraId) =>
      (q.ofCameraAt.all(locationId, cameraId) as SegmentRow[]).map(toSegment),
    deleteSegments: async (ids, reason, prune = []) => deleteSegments(ids, reason, prune),
    pruneIndex: async (prune) => pruneIndex(prune),
    deleteSegmentRowOnly: async (id) => void q.deleteSegment.run(id),
    garbage: async () => (q.garbage.all() as GarbageRow[]).map(toGarbage),
    removeGarbage: async (ids) => removeGarbage(ids),
    expiredSegments: async (cameraId, cutoff, limit) =>
      (q.expired.all(cameraId, cutoff, limit) as SegmentRow[]).map(toSegment),
    oldestUnlockedSegments: async (locationId, limit) =>
      (q.oldestUnlocked.all(locationId, limit) as SegmentRow[]).map(toSegment),
    cameraUsage: async (cameraId) => {
      const u = q.usage.get(cameraId) as { bytes: number; n: number };
      return {
        cameraId,
        usedBytes: u.bytes,
        segmentCount: u.n,
        oldestTime90k: (q.oldest.get(cameraId) as { t: number | null }).t,
        newestTime90k: (q.newest.get(cameraId) as { t: number | null }).t,
      };
    },
    cameraBytesBetween: async (cameraId, from, to) => {
      const r = q.bytesBetween.get(cameraId, from, to) as { bytes: number; d: number };
      return { bytes: r.bytes, duration90k: r.d };
    },
    lockedBytes: async (locationId) => (q.lockedBytes.get(locationId) as { n: number }).n,
  };
}
