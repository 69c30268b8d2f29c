// Migration 5: manual recording that survives a restart (one row per camera while it is on, with
// when and by whom it was started; a trigger drops it when the camera is disabled or removed), and
// an index so retention can find a stream's ended runs by end time. Published: never edit.
export const MANUAL_RECORDING_SQL = `
  CREATE TABLE manual_recordings (
    camera_id INTEGER PRIMARY KEY REFERENCES cameras (id),
    started_at_ms INTEGER NOT NULL,
    started_by_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL
  ) STRICT;
  CREATE TRIGGER cameras_disabled_drop_manual AFTER UPDATE OF enabled, removed_at_ms ON cameras
    WHEN NEW.enabled = 0 OR NEW.removed_at_ms IS NOT NULL
  BEGIN
    DELETE FROM manual_recordings WHERE camera_id = NEW.id;
  END;
  CREATE INDEX runs_by_stream_end ON runs (stream_id, end_time_90k);
`;
