// SQLite repositories of gaps (why nothing was recorded), motion intervals and locks (footage that
// retention must keep), and the timeline query over them and the segments.
import type {
  GapCause,
  GapRecord,
  GapsRepo,
  LockRecord,
  LocksRepo,
  MotionRecord,
  MotionRepo,
} from './recording-catalog.js';
import { SEGMENT_MAX_SPAN_90K } from './sqlite-segment-repos.js';
import type { SqliteDb } from './sqlite-catalog.js';
import { coalesceIntervals, labelGaps, type GapRow } from './timeline-coalesce.js';
import { DEFAULT_TIMELINE_MAX_ITEMS, type TimelineInterval, type TimelineRepo } from './timeline-types.js';

const END_OR_OPEN = '(end_time_90k IS NULL OR end_time_90k > ?)';

export function sqliteGapsRepo(db: SqliteDb): GapsRepo {
  const open = db.prepare('SELECT id FROM gaps WHERE stream_id = ? AND end_time_90k IS NULL');
  const insert = db.prepare(
    'INSERT INTO gaps (stream_id, start_time_90k, end_time_90k, cause) VALUES (?, ?, ?, ?)',
  );
  const close = db.prepare(
    `UPDATE gaps SET end_time_90k = max(start_time_90k, ?) WHERE stream_id = ? AND end_time_90k IS NULL`,
  );
  const list = db.prepare(
    `SELECT id, stream_id, start_time_90k, end_time_90k, cause FROM gaps
     WHERE stream_id = ? AND start_time_90k < ? AND ${END_OR_OPEN} ORDER BY start_time_90k`,
  );
  const openGap = db.transaction((streamId: number, start: number, cause: GapCause) => {
    const existing = open.get(streamId) as { id: number } | undefined;
    return existing?.id ?? Number(insert.run(streamId, start, null, cause).lastInsertRowid);
  });
  const latestOpen = db.prepare(
    `SELECT id, start_time_90k AS start, cause FROM gaps WHERE stream_id = ? AND end_time_90k IS NULL
     ORDER BY start_time_90k DESC, id DESC LIMIT 1`,
  );
  const setCause = db.prepare('UPDATE gaps SET cause = ? WHERE id = ?');
  const endAt = db.prepare('UPDATE gaps SET end_time_90k = ? WHERE id = ?');
  const switchCause = db.transaction((streamId: number, at: number, cause: GapCause) => {
    const g = latestOpen.get(streamId) as { id: number; start: number; cause: string } | undefined;
    if (g === undefined || g.cause === cause) return g?.id;
    // A change at (or before) the gap's start relabels it rather than leaving an empty gap.
    if (at <= g.start) {
      setCause.run(cause, g.id);
      return g.id;
    }
    endAt.run(at, g.id);
    return Number(insert.run(streamId, at, null, cause).lastInsertRowid);
  });
  return {
    open: async (streamId, start, cause) => openGap(streamId, start, cause),
    closeOpen: async (streamId, end) => close.run(end, streamId).changes,
    insert: async (streamId, start, end, cause) =>
      Number(insert.run(streamId, start, end, cause).lastInsertRowid),
    switchCause: async (streamId, at, cause) => switchCause(streamId, at, cause),
    list: async (streamId, from, to) =>
      (list.all(streamId, to, from) as Record<string, number | string | null>[]).map((r): GapRecord => ({
        id: r['id'] as number,
        streamId: r['stream_id'] as number,
        startTime90k: r['start_time_90k'] as number,
        endTime90k: r['end_time_90k'] as number | null,
        cause: r['cause'] as GapCause,
      })),
  };
}

export function sqliteMotionRepo(db: SqliteDb): MotionRepo {
  const insert = db.prepare(
    'INSERT INTO motion_intervals (camera_id, start_time_90k, end_time_90k, source) VALUES (?, ?, ?, ?)',
  );
  const end = db.prepare(
    'UPDATE motion_intervals SET end_time_90k = max(start_time_90k, ?) WHERE id = ? AND end_time_90k IS NULL',
  );
  const list = db.prepare(
    `SELECT * FROM motion_intervals WHERE camera_id = ? AND start_time_90k < ? AND ${END_OR_OPEN}
     ORDER BY start_time_90k`,
  );
  return {
    start: async (cameraId, start, source) =>
      Number(insert.run(cameraId, start, null, source).lastInsertRowid),
    end: async (id, endTime) => void end.run(endTime, id),
    insert: async (cameraId, start, endTime, source) =>
      Number(insert.run(cameraId, start, endTime, source).lastInsertRowid),
    list: async (cameraId, from, to) =>
      (list.all(cameraId, to, from) as Record<string, number | string | null>[]).map((r): MotionRecord => ({
        id: r['id'] as number,
        cameraId: r['camera_id'] as number,
        startTime90k: r['start_time_90k'] as number,
        endTime90k: r['end_time_90k'] as number | null,
        source: r['source'] as string,
      })),
  };
}

interface LockRow {
  id: number;
  camera_id: number;
  start_time_90k: number;
  end_time_90k: number;
  reason: string;
  bookmark_id: number | null;
  created_at_ms: number;
  created_by_user_id: number | null;
}
const toLock = (r: LockRow): LockRecord => ({
  id: r.id,
  cameraId: r.camera_id,
  startTime90k: r.start_time_90k,
  endTime90k: r.end_time_90k,
  reason: r.reason,
  bookmarkId: r.bookmark_id,
  createdAtMs: r.created_at_ms,
  createdByUserId: r.created_by_user_id,
});

export function sqliteLocksRepo(db: SqliteDb): LocksRepo {
  const insert = db.prepare(
    `INSERT INTO locks (camera_id, start_time_90k, end_time_90k, reason, bookmark_id, created_at_ms, created_by_user_id)
     VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
  );
  const del = db.prepare('DELETE FROM locks WHERE id = ?');
  const byId = db.prepare('SELECT * FROM locks WHERE id = ?');
  const list = db.prepare(
    `SELECT * FROM locks WHERE camera_id = ? AND start_time_90k < ? AND end_time_90k > ? ORDER BY start_time_90k, id`,
  );
  return {
    create: async (l) =>
      toLock(
        insert.get(
          l.cameraId,
          l.startTime90k,
          l.endTime90k,
          l.reason,
          l.bookmarkId ?? null,
          l.nowMs,
          l.createdByUserId ?? null,
        ) as LockRow,
      ),
    delete: async (id) => del.run(id).changes > 0,
    findById: async (id) => {
      const r = byId.get(id) as LockRow | undefined;
      return r ? toLock(r) : undefined;
    },
    list: async (cameraId, from = -Number.MAX_SAFE_INTEGER, to = Number.MAX_SAFE_INTEGER) =>
      (list.all(cameraId, to, from) as LockRow[]).map(toLock),
  };
}

export function sqliteTimelineRepo(db: SqliteDb): TimelineRepo {
  // Index-only scan of segments_by_stream_time; SEGMENT_MAX_SPAN_90K bounds how far back to look.
  const segments = db
    .prepare(
      `SELECT start_time_90k, end_time_90k FROM segments WHERE stream_id = ? AND start_time_90k >= ?
       AND start_time_90k < ? AND end_time_90k > ? ORDER BY start_time_90k`,
    )
    .raw(true);
  const gaps = db
    .prepare(
      `SELECT start_time_90k, end_time_90k, cause FROM gaps WHERE stream_id = ? AND start_time_90k < ?
       AND ${END_OR_OPEN} ORDER BY start_time_90k`,
    )
    .raw(true);
  const motion = db
    .prepare(
      `SELECT start_time_90k, end_time_90k FROM motion_intervals WHERE camera_id = ? AND start_time_90k < ?
       AND ${END_OR_OPEN} ORDER BY start_time_90k`,
    )
    .raw(true);
  const cameraOf = db.prepare('SELECT camera_id FROM streams WHERE id = ?').pluck();
  const retentionOf = db
    .prepare('SELECT c.retention_ms FROM streams st JOIN cameras c ON c.id = st.camera_id WHERE st.id = ?')
    .pluck();
  const toIntervals = (rows: unknown[][], openEnd: number): TimelineInterval[] =>
    rows.map((r) => ({ startTime90k: r[0] as number, endTime90k: (r[1] as number | null) ?? openEnd }));
  return {
    query: async (q) => {
      const { streamId, from90k, to90k } = q;
      const resolution = Math.max(0, q.resolution90k);
      const maxItems = q.maxItems ?? DEFAULT_TIMELINE_MAX_ITEMS;
      const until = Math.min(to90k, q.now90k ?? to90k);
      const segRows = segments.all(streamId, from90k - SEGMENT_MAX_SPAN_90K, to90k, from90k) as unknown[][];
      const recorded = coalesceIntervals(toIntervals(segRows, to90k), from90k, to90k, resolution, maxItems);
      const gapRows: GapRow[] = (gaps.all(streamId, until, from90k) as unknown[][]).map((r) => ({
        startTime90k: r[0] as number,
        endTime90k: r[1] as number | null,
        cause: r[2] as GapRow['cause'],
      }));
      const cameraId = q.cameraId ?? (cameraOf.get(streamId) as number | undefined);
      const motionRows = cameraId === undefined ? [] : (motion.all(cameraId, to90k, from90k) as unknown[][]);
      // Before the retention horizon footage has expired (retention prunes its gap rows too): what
      // is left there (locked footage) shows as recorded, the rest is not a gap.
      const retentionMs = retentionOf.get(streamId) as number | undefined;
      const gapsFrom =
        q.now90k === undefined || retentionMs === undefined
          ? from90k
          : Math.max(from90k, q.now90k - retentionMs * 90);
      return {
        recorded,
        motion: coalesceIntervals(toIntervals(motionRows, until), from90k, to90k, resolution, maxItems),
        gaps: until > gapsFrom ? labelGaps(recorded, gapRows, gapsFrom, until, resolution, maxItems) : [],
      };
    },
  };
}
