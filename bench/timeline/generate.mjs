// Builds a synthetic recording index: N cameras x D days of 5-minute segments (one main stream
// each, a run per day, ~0.1 % of segments missing with an 'offline' gap row, ~24 motion intervals
// per camera per day), generated inside SQLite with recursive CTEs. Fragment-index blobs are not
// generated: they live in their own table, which neither the timeline nor start-up reads.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const SEGMENT_S = 300;
const UNITS = 90_000;

/** @param {import('better-sqlite3').Database} db */
export function generateIndex(db, { cameras, days, t0Ms, locationPath, uuid }) {
  const perDay = 86_400 / SEGMENT_S;
  const n = days * perDay;
  const t0 = t0Ms * 90;
  db.pragma('synchronous = OFF');
  const tx = db.transaction(() => {
    db.prepare(
      `INSERT INTO storage_locations (id, name, path, identity_uuid, free_space_floor_bytes, size_limit_bytes, created_at_ms)
       VALUES (1, 'bench', ?, ?, 0, NULL, 0)`,
    ).run(locationPath, uuid);
    const cam = db.prepare(
      `INSERT INTO cameras (id, name, enabled, storage_location_id, retention_ms, created_at_ms) VALUES (?, ?, 1, 1, ?, 0)`,
    );
    const stream = db.prepare(`INSERT INTO streams (id, camera_id, kind) VALUES (?, ?, 'main')`);
    for (let c = 1; c <= cameras; c++) {
      cam.run(c, `camera ${c}`, (days + 30) * 86_400_000);
      stream.run(c, c);
    }
  });
  tx();
  const runs = db.prepare(
    `WITH RECURSIVE d(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM d WHERE k < ?)
     INSERT INTO runs (id, stream_id, start_time_90k, end_time_90k, end_reason, started_at_ms)
     SELECT (? - 1) * ? + k + 1, ?, ? + k * 86400 * ${UNITS}, ? + (k + 1) * 86400 * ${UNITS}, 'stopped', 0 FROM d`,
  );
  const segments = db.prepare(
    `WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < ?)
     INSERT INTO segments (stream_id, run_id, location_id, path, start_time_90k, end_time_90k, media_start_90k,
       media_duration_90k, size_bytes, fragment_count, codec, width, height, open)
     SELECT @c, (@c - 1) * @days + i / ${perDay} + 1, 1,
       printf('%d/%s/%s.000Z-main.mp4', @c, strftime('%Y-%m-%d', @t0s + i * ${SEGMENT_S}, 'unixepoch'),
              strftime('%Y%m%dT%H%M%S', @t0s + i * ${SEGMENT_S}, 'unixepoch')),
       @t0 + i * ${SEGMENT_S * UNITS}, @t0 + (i + 1) * ${SEGMENT_S * UNITS}, (i % ${perDay}) * ${SEGMENT_S * UNITS},
       ${SEGMENT_S * UNITS}, 75000000 + (i % 1000) * 1000, 300, 'h264', 1920, 1080, 0
     FROM s WHERE (i * 2654435761 + @c * 97) % 997 <> 0`,
  );
  const gaps = db.prepare(
    `WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < ?)
     INSERT INTO gaps (stream_id, start_time_90k, end_time_90k, cause)
     SELECT @c, @t0 + i * ${SEGMENT_S * UNITS}, @t0 + (i + 1) * ${SEGMENT_S * UNITS}, 'offline'
     FROM s WHERE (i * 2654435761 + @c * 97) % 997 = 0`,
  );
  const motion = db.prepare(
    `WITH RECURSIVE h(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM h WHERE j < ?)
     INSERT INTO motion_intervals (camera_id, start_time_90k, end_time_90k, source)
     SELECT @c, @t0 + (j * 3600 + (j * 7919 + @c) % 3000) * ${UNITS},
            @t0 + (j * 3600 + (j * 7919 + @c) % 3000 + 30 + (j * 31 + @c) % 120) * ${UNITS}, 'bench'
     FROM h`,
  );
  for (let c = 1; c <= cameras; c++) {
    db.transaction(() => {
      runs.run(days - 1, c, days, c, t0, t0);
      const p = { c, days, t0, t0s: Math.floor(t0Ms / 1000) };
      segments.run(n - 1, p);
      gaps.run(n - 1, { c, t0 });
      motion.run(days * 24 - 1, { c, t0 });
    })();
  }
  db.pragma('synchronous = FULL');
  db.exec('ANALYZE');
  return { segmentsPerCamera: n };
}

/** The identity file and, for the newest day of every camera, its files (empty) as the startup scan sees them. */
export function writeStorageTree(db, locationPath, uuid, cameras) {
  mkdirSync(locationPath, { recursive: true });
  writeFileSync(
    path.join(locationPath, '.argus-storage.json'),
    JSON.stringify({ argusStorage: 1, uuid, createdAt: new Date(0).toISOString() }),
  );
  const newest = db.prepare(
    `SELECT path FROM segments WHERE stream_id = ? AND start_time_90k >= (
       SELECT max(start_time_90k) - 86400 * ${UNITS} FROM segments WHERE stream_id = ?)`,
  );
  let files = 0;
  for (let c = 1; c <= cameras; c++) {
    for (const { path: rel } of newest.all(c, c)) {
      const abs = path.join(locationPath, rel);
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, '');
      files++;
    }
  }
  return files;
}
