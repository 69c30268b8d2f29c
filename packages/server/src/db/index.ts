// db/: the catalog. Repository interfaces hide SQL; SQLite is the embedded implementation.
export type * from './catalog.js';
export { openSqliteCatalog, sqliteCatalog } from './sqlite-repos.js';
export { openSqlite, schemaVersion } from './sqlite-catalog.js';
export { MIGRATIONS, LATEST_SCHEMA_VERSION } from './migrations.js';
