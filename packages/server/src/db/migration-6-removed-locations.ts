// Migration 6: storage locations an administrator removed, kept so a location ID is never handed
// out again (playback and logs name locations by ID) and so a removed location's directory, which
// keeps its identity file, is recognised when it is added again. Published: never edit.
export const REMOVED_LOCATIONS_SQL = `
  CREATE TABLE removed_storage_locations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    path TEXT NOT NULL,
    identity_uuid TEXT NOT NULL,
    removed_at_ms INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX removed_storage_locations_by_uuid ON removed_storage_locations (identity_uuid);
`;
