// Opens the SQLite catalog (WAL, foreign keys, busy timeout) and migrates it. A file that is not a
// database, or one from a newer Argus, is refused with a clear error and left untouched.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { ExitCodes, StartupError } from '../base/index.js';
import { MIGRATIONS, LATEST_SCHEMA_VERSION, type Migration } from './migrations.js';

export type SqliteDb = Database.Database;

export interface OpenCatalogOptions {
  /** Apply only migrations up to this version (tests of the upgrade path). */
  targetVersion?: number;
  readonly?: boolean;
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
    // quick_check reads every page header: a corrupt or foreign file fails here before any write.
    if (existed) {
      const result = db.pragma('quick_check', { simple: true });
      if (result !== 'ok') throw new Error(`integrity check failed: ${String(result)}`);
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
