// Migration 4: where and how each camera is reached, beside the cameras row of migration 3: RTSP
// URLs of the main and optional sub stream, transport, the credentials as an AES-256-GCM envelope
// (devices/credential-cipher; never plaintext), and the motion event source. The recording method,
// schedule and buffers live in cameras.recording_json (shape owned by ingest/). Published: never edit.
export const CAMERA_SOURCES_SQL = `
  CREATE TABLE camera_sources (
    camera_id INTEGER PRIMARY KEY REFERENCES cameras (id),
    main_url TEXT NOT NULL,
    sub_url TEXT,
    transport TEXT NOT NULL DEFAULT 'tcp' CHECK (transport IN ('tcp', 'udp')),
    credentials_enc TEXT,
    event_source_json TEXT NOT NULL DEFAULT '{"kind":"none"}',
    updated_at_ms INTEGER NOT NULL
  ) STRICT;
`;
