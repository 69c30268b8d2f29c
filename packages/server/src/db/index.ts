// db/: the catalog. Repository interfaces hide SQL; SQLite is the embedded implementation.
export type * from './catalog.js';
export type * from './recording-catalog.js';
export type * from './timeline-types.js';
export type * from './camera-source-catalog.js';
export type * from './manual-recording-catalog.js';
export { DEFAULT_TIMELINE_MAX_ITEMS } from './timeline-types.js';
export { coalesceIntervals, labelGaps, type GapRow } from './timeline-coalesce.js';
export { SEGMENT_MAX_SPAN_90K } from './sqlite-segment-repos.js';
export { openSqliteCatalog, sqliteCatalog } from './sqlite-repos.js';
export { openSqlite, schemaVersion, checkCatalogIntegrity, FULL_CHECK_MAX_BYTES } from './sqlite-catalog.js';
export { MIGRATIONS, LATEST_SCHEMA_VERSION } from './migrations.js';
