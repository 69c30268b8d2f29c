// The catalog schema: migrating step by step from version 1, reopening between steps as an
// upgrade would, gives exactly the schema of a fresh database; data survives each step.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  LATEST_SCHEMA_VERSION,
  MIGRATIONS,
  openSqlite,
  schemaVersion,
  sqliteCatalog,
} from '../src/db/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'argus-db-'));

function schemaOf(file: string): string[] {
  const db = openSqlite(file, { readonly: true });
  const rows = db
    .prepare(
      "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
    )
    .all() as {
    type: string;
    name: string;
    sql: string | null;
  }[];
  db.close();
  return rows.map((r) => `${r.type} ${r.name}: ${(r.sql ?? '').replace(/\s+/g, ' ')}`);
}

describe('catalog migrations', () => {
  it('are numbered 1..n without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('give the same schema stepwise from version 1 as fresh, keeping data', async () => {
    const stepwise = path.join(dir, 'stepwise.sqlite');
    for (let v = 1; v <= LATEST_SCHEMA_VERSION; v++) {
      const db = openSqlite(stepwise, { targetVersion: v });
      expect(schemaVersion(db)).toBe(v);
      if (v === 1)
        db.prepare(
          "INSERT INTO users (username, password_hash, role, created_at_ms, password_changed_at_ms) VALUES ('keep', 'h', 'viewer', 1, 1)",
        ).run();
      db.close();
    }
    const fresh = path.join(dir, 'fresh.sqlite');
    openSqlite(fresh).close();
    expect(schemaOf(stepwise)).toEqual(schemaOf(fresh));
    expect(schemaOf(fresh).join('\n')).toContain('table sessions');
    const catalog = sqliteCatalog(openSqlite(stepwise));
    expect((await catalog.users.findByUsername('KEEP'))?.role).toBe('viewer');
    catalog.close();
  });

  it('uses WAL and enforces foreign keys', async () => {
    const db = openSqlite(path.join(dir, 'wal.sqlite'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(() =>
      db
        .prepare(
          "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at_ms, last_seen_at_ms, absolute_expires_at_ms) VALUES ('x', 999, 'c', 1, 1, 2)",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('refuses a database from a newer Argus', () => {
    const file = path.join(dir, 'newer.sqlite');
    const db = openSqlite(file);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openSqlite(file)).toThrow(/newer than this Argus/);
  });
});
