// SQLite repository of camera sources (migration 4).
import type { CameraSourceRecord, CameraSourcesRepo } from './camera-source-catalog.js';
import type { SqliteDb } from './sqlite-catalog.js';

interface Row {
  camera_id: number;
  main_url: string;
  sub_url: string | null;
  transport: string;
  credentials_enc: string | null;
  event_source_json: string;
  updated_at_ms: number;
}

const toRecord = (r: Row): CameraSourceRecord => ({
  cameraId: r.camera_id,
  mainUrl: r.main_url,
  subUrl: r.sub_url,
  transport: r.transport === 'udp' ? 'udp' : 'tcp',
  credentialsEnc: r.credentials_enc,
  eventSource: JSON.parse(r.event_source_json) as Record<string, unknown>,
  updatedAtMs: r.updated_at_ms,
});

export function sqliteCameraSourcesRepo(db: SqliteDb): CameraSourcesRepo {
  const put = db.prepare(
    `INSERT INTO camera_sources (camera_id, main_url, sub_url, transport, credentials_enc, event_source_json, updated_at_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (camera_id) DO UPDATE SET main_url = excluded.main_url, sub_url = excluded.sub_url,
       transport = excluded.transport, credentials_enc = excluded.credentials_enc,
       event_source_json = excluded.event_source_json, updated_at_ms = excluded.updated_at_ms`,
  );
  const get = db.prepare('SELECT * FROM camera_sources WHERE camera_id = ?');
  const list = db.prepare('SELECT * FROM camera_sources ORDER BY camera_id');
  return {
    put: async (s) =>
      void put.run(
        s.cameraId,
        s.mainUrl,
        s.subUrl,
        s.transport,
        s.credentialsEnc,
        JSON.stringify(s.eventSource),
        s.updatedAtMs,
      ),
    get: async (cameraId) => {
      const r = get.get(cameraId) as Row | undefined;
      return r ? toRecord(r) : undefined;
    },
    list: async () => (list.all() as Row[]).map(toRecord),
  };
}
