// Opens the SQLite catalog (WAL, foreign keys, busy timeout) and migrates it. A file that is not a
// database, or one from a newer Argus, is refused with a clear error and left untouched.
import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { ExitCodes, StartupError } from '../base/index.js';
import { MIGRATIONS, LATEST_SCHEMA_VERSION, type Migration } from './migrations.js';

export type SqliteDb = Database.Database;

export interface OpenCatalogOptions {
  /** Apply only migrations up to this version (tests of the upgrade path). */
  targetVersion?: number;
  readonly?: boolean;
  /** Catalogs up to this size get a full quick_check when opened; default FULL_CHECK_MAX_BYTES. */
  fullCheckMaxBytes?: number;
}

/** 256 MiB: about half a second of quick_check. */
export const FULL_CHECK_MAX_BYTES = 256 * 1024 * 1024;

function checkIntegrity(db: SqliteDb): void {
  const result = db.pragma('quick_check', { simple: true });
  if (result !== 'ok') throw new Error(`integrity check failed: ${String(result)}`);
}

/** Full quick_check of an open catalog (for `argus check`); returns 'ok' or SQLite's first finding. */
export function checkCatalogIntegrity(db: SqliteDb): string {
  try {
    checkIntegrity(db);
    return 'ok';
  } catch (err) {
    return (err as Error).message;
  }
}

export function openSqlite(file: string, options: OpenCatalogOptions = {}): SqliteDb {
  const existed = existsSync(file);
  let db: SqliteDb;
  try {
    db = new Database(file, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
    });
  } catch (err) {
    throw new StartupError(
      'ARGUS_ERR_DB_OPEN',
      `cannot open database ${file}: ${(err as Error).message}`,
      ExitCodes.database,
      { cause: err },
    );
  }
  try {
    // quick_check reads every page: a corrupt or foreign file fails here before any write. It costs
    // ~2 s per GB, so a large catalog (a big recording index) gets only the schema read at start-up
    // and its full check from `argus check` (checkCatalogIntegrity).
    if (existed) {
      if (statSync(file).size <= (options.fullCheckMaxBytes ?? FULL_CHECK_MAX_BYTES)) checkIntegrity(db);
      else db.prepare('SELECT count(*) FROM sqlite_master').get();
    }
    if (!options.readonly) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = FULL');
  } catch (err) {
    db.close();
    throw new StartupError(
      'ARGUS_ERR_DB_CORRUPT',
      `database ${file} is damaged or not an Argus database (${(err as Error).message}); it was left untouched — restore it from a backup or move it aside`,
      ExitCodes.database,
      { cause: err },
    );
  }
  if (!options.readonly) migrate(db, file, options.targetVersion ?? LATEST_SCHEMA_VERSION);
  return db;
}

export function schemaVersion(db: SqliteDb): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: SqliteDb, file: string, target: number): void {
  const current = schemaVersion(db);
  if (current > LATEST_SCHEMA_VERSION) {
    db.close();
    throw new StartupError(
      'ARGUS_ERR_DB_TOO_NEW',
      `database ${file} has schema version ${current}, newer than this Argus (${LATEST_SCHEMA_VERSION}); upgrade Argus`,
      ExitCodes.database,
    );
  }
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ms INTEGER NOT NULL) STRICT`);
  const pending = MIGRATIONS.filter((m) => m.version > current && m.version <= target);
  const apply = db.transaction((m: Migration) => {
    db.exec(m.sql);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (?, ?, ?)').run(
      m.version,
      m.name,
      Date.now(),
    );
    db.pragma(`user_version = ${m.version}`);
  });
  for (const m of pending) apply(m);
}
