// Migration 3: storage locations, cameras and their streams, and the recording index (runs,
// segments, their fragment tables, gaps, motion, locks) that docs/design/storage.md describes.
// All times are wall-clock 90 kHz units since the Unix epoch (`*_time_90k`). Published: never edit.
export const RECORDING_INDEX_SQL = `
  CREATE TABLE storage_locations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    path TEXT NOT NULL UNIQUE,
    identity_uuid TEXT NOT NULL UNIQUE,
    free_space_floor_bytes INTEGER NOT NULL CHECK (free_space_floor_bytes >= 0),
    size_limit_bytes INTEGER CHECK (size_limit_bytes IS NULL OR size_limit_bytes > 0),
    created_at_ms INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE cameras (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    storage_location_id INTEGER NOT NULL REFERENCES storage_locations (id),
    retention_ms INTEGER NOT NULL CHECK (retention_ms > 0),
    recording_json TEXT NOT NULL DEFAULT '{}',
    created_at_ms INTEGER NOT NULL,
    removed_at_ms INTEGER
  ) STRICT;
  CREATE TABLE streams (
    id INTEGER PRIMARY KEY,
    camera_id INTEGER NOT NULL REFERENCES cameras (id),
    kind TEXT NOT NULL CHECK (kind IN ('main', 'sub')),
    UNIQUE (camera_id, kind)
  ) STRICT;
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    stream_id INTEGER NOT NULL REFERENCES streams (id),
    start_time_90k INTEGER NOT NULL,
    end_time_90k INTEGER,
    end_reason TEXT,
    started_at_ms INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX runs_open ON runs (stream_id) WHERE end_time_90k IS NULL;
  CREATE TABLE segments (
    id INTEGER PRIMARY KEY,
    stream_id INTEGER NOT NULL REFERENCES streams (id),
    run_id INTEGER NOT NULL REFERENCES runs (id),
    location_id INTEGER NOT NULL REFERENCES storage_locations (id),
    path TEXT NOT NULL,
    start_time_90k INTEGER NOT NULL,
    end_time_90k INTEGER NOT NULL CHECK (end_time_90k >= start_time_90k),
    media_start_90k INTEGER NOT NULL,
    media_duration_90k INTEGER NOT NULL CHECK (media_duration_90k >= 0),
    size_bytes INTEGER NOT NULL CHECK (size_bytes >= 0),
    fragment_count INTEGER NOT NULL CHECK (fragment_count >= 0),
    codec TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    open INTEGER NOT NULL DEFAULT 1 CHECK (open IN (0, 1)),
    UNIQUE (location_id, path)
  ) STRICT;
  CREATE INDEX segments_by_stream_time ON segments (stream_id, start_time_90k, end_time_90k);
  CREATE INDEX segments_by_location_time ON segments (location_id, start_time_90k);
  CREATE INDEX segments_by_run ON segments (run_id);
  CREATE INDEX segments_open ON segments (stream_id) WHERE open = 1;
  CREATE TABLE segment_fragments (
    segment_id INTEGER PRIMARY KEY REFERENCES segments (id) ON DELETE CASCADE,
    entries BLOB NOT NULL
  ) STRICT;
  CREATE TABLE storage_usage (
    stream_id INTEGER NOT NULL,
    location_id INTEGER NOT NULL,
    size_bytes INTEGER NOT NULL,
    segment_count INTEGER NOT NULL,
    PRIMARY KEY (stream_id, location_id)
  ) STRICT, WITHOUT ROWID;
  CREATE TRIGGER segments_usage_insert AFTER INSERT ON segments BEGIN
    INSERT INTO storage_usage (stream_id, location_id, size_bytes, segment_count)
      VALUES (NEW.stream_id, NEW.location_id, NEW.size_bytes, 1)
      ON CONFLICT (stream_id, location_id) DO UPDATE
      SET size_bytes = size_bytes + excluded.size_bytes, segment_count = segment_count + 1;
  END;
  CREATE TRIGGER segments_usage_update AFTER UPDATE OF size_bytes ON segments BEGIN
    UPDATE storage_usage SET size_bytes = size_bytes + NEW.size_bytes - OLD.size_bytes
      WHERE stream_id = NEW.stream_id AND location_id = NEW.location_id;
  END;
  CREATE TRIGGER segments_usage_delete AFTER DELETE ON segments BEGIN
    UPDATE storage_usage SET size_bytes = size_bytes - OLD.size_bytes, segment_count = segment_count - 1
      WHERE stream_id = OLD.stream_id AND location_id = OLD.location_id;
  END;
  CREATE TABLE garbage (
    id INTEGER PRIMARY KEY,
    location_id INTEGER NOT NULL REFERENCES storage_locations (id),
    path TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    reason TEXT NOT NULL
  ) STRICT;
  CREATE TABLE gaps (
    id INTEGER PRIMARY KEY,
    stream_id INTEGER NOT NULL REFERENCES streams (id),
    start_time_90k INTEGER NOT NULL,
    end_time_90k INTEGER,
    cause TEXT NOT NULL,
    CHECK (end_time_90k IS NULL OR end_time_90k >= start_time_90k)
  ) STRICT;
  CREATE INDEX gaps_by_stream_time ON gaps (stream_id, start_time_90k);
  CREATE TABLE motion_intervals (
    id INTEGER PRIMARY KEY,
    camera_id INTEGER NOT NULL REFERENCES cameras (id),
    start_time_90k INTEGER NOT NULL,
    end_time_90k INTEGER,
    source TEXT NOT NULL,
    CHECK (end_time_90k IS NULL OR end_time_90k >= start_time_90k)
  ) STRICT;
  CREATE INDEX motion_by_camera_time ON motion_intervals (camera_id, start_time_90k);
  CREATE TABLE locks (
    id INTEGER PRIMARY KEY,
    camera_id INTEGER NOT NULL REFERENCES cameras (id),
    start_time_90k INTEGER NOT NULL,
    end_time_90k INTEGER NOT NULL CHECK (end_time_90k > start_time_90k),
    reason TEXT NOT NULL,
    bookmark_id INTEGER,
    created_at_ms INTEGER NOT NULL,
    created_by_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL
  ) STRICT;
  CREATE INDEX locks_by_camera_time ON locks (camera_id, start_time_90k);
`;
