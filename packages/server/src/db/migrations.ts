// Numbered, append-only schema migrations of the catalog. Never edit a published migration: add
// the next number. PRAGMA user_version holds the schema version; schema_migrations the history.
import { RECORDING_INDEX_SQL } from './migration-3-recording-index.js';
import { CAMERA_SOURCES_SQL } from './migration-4-camera-sources.js';
import { MANUAL_RECORDING_SQL } from './migration-5-manual-recording.js';
import { REMOVED_LOCATIONS_SQL } from './migration-6-removed-locations.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'users and settings',
    sql: `
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('administrator', 'operator', 'viewer')),
        created_at_ms INTEGER NOT NULL,
        password_changed_at_ms INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value_json TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: 'sessions and personal API tokens',
    sql: `
      CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        csrf_token TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL,
        last_seen_at_ms INTEGER NOT NULL,
        absolute_expires_at_ms INTEGER NOT NULL,
        client_ip TEXT,
        user_agent TEXT
      ) STRICT;
      CREATE INDEX sessions_by_user ON sessions (user_id);
      CREATE TABLE api_tokens (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        prefix TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL,
        expires_at_ms INTEGER,
        last_used_at_ms INTEGER
      ) STRICT;
      CREATE INDEX api_tokens_by_user ON api_tokens (user_id);
    `,
  },
  {
    version: 3,
    name: 'storage locations, cameras, recording index, locks',
    sql: RECORDING_INDEX_SQL,
  },
  {
    version: 4,
    name: 'camera sources: stream URLs, encrypted credentials, event source',
    sql: CAMERA_SOURCES_SQL,
  },
  {
    version: 5,
    name: 'manual recording across restarts, runs by end time',
    sql: MANUAL_RECORDING_SQL,
  },
  {
    version: 6,
    name: 'removed storage locations (IDs never reused, identity recognised)',
    sql: REMOVED_LOCATIONS_SQL,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
