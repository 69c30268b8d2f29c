// Retention of the index itself: once a camera's footage has expired, its gap and motion rows that
// ended at or before the horizon, and its ended runs left without segments, go too. Rows that
// overlap a lock or any remaining segment of the camera stay, so kept footage keeps its context.
import type { IndexPrune, PrunedRows } from './recording-catalog.js';
import type { SqliteDb } from './sqlite-catalog.js';

/** The row `t` overlaps no lock and no remaining segment of camera @cam. */
const UNCOVERED = (t: string) => `NOT EXISTS (SELECT 1 FROM locks l WHERE l.camera_id = @cam
    AND l.start_time_90k < ${t}.end_time_90k AND l.end_time_90k > ${t}.start_time_90k)
  AND NOT EXISTS (SELECT 1 FROM segments s WHERE s.stream_id IN (SELECT id FROM streams WHERE camera_id = @cam)
    AND s.start_time_90k >= ${t}.start_time_90k - @span AND s.start_time_90k < ${t}.end_time_90k
    AND s.end_time_90k > ${t}.start_time_90k)`;

/**
 * A function that prunes inside the caller's transaction (better-sqlite3 nests it as a savepoint).
 * `segmentMaxSpan90k` bounds how far back a segment overlapping a row can start (index range).
 */
export function sqliteIndexPrune(
  db: SqliteDb,
  segmentMaxSpan90k: number,
): (prune: readonly IndexPrune[]) => PrunedRows {
  const gaps = db.prepare(
    `DELETE FROM gaps WHERE stream_id IN (SELECT id FROM streams WHERE camera_id = @cam)
       AND start_time_90k <= @h AND end_time_90k IS NOT NULL AND end_time_90k <= @h AND ${UNCOVERED('gaps')}`,
  );
  const motion = db.prepare(
    `DELETE FROM motion_intervals WHERE camera_id = @cam
       AND start_time_90k <= @h AND end_time_90k IS NOT NULL AND end_time_90k <= @h
       AND ${UNCOVERED('motion_intervals')}`,
  );
  const runs = db.prepare(
    `DELETE FROM runs WHERE stream_id IN (SELECT id FROM streams WHERE camera_id = @cam)
       AND end_time_90k IS NOT NULL AND end_time_90k <= @h
       AND NOT EXISTS (SELECT 1 FROM segments s WHERE s.run_id = runs.id) AND ${UNCOVERED('runs')}`,
  );
  return db.transaction((prune: readonly IndexPrune[]): PrunedRows => {
    const out: PrunedRows = { gaps: 0, motion: 0, runs: 0 };
    for (const p of prune) {
      const args = { cam: p.cameraId, h: p.horizon90k, span: segmentMaxSpan90k };
      out.gaps += gaps.run(args).changes;
      out.motion += motion.run(args).changes;
      out.runs += runs.run(args).changes;
    }
    return out;
  });
}
