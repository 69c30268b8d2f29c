// SQLite implementations of the catalog repositories (better-sqlite3, prepared statements).
import type { Role } from '@argus/api';
import type { Catalog, NewUser, SessionRecord, TokenRecord, UserRecord } from './catalog.js';
import { openSqlite, schemaVersion, type SqliteDb } from './sqlite-catalog.js';
import { sqliteCamerasRepo, sqliteLocationsRepo, sqliteStreamsRepo } from './sqlite-camera-repos.js';
import {
  sqliteGapsRepo,
  sqliteLocksRepo,
  sqliteMotionRepo,
  sqliteTimelineRepo,
} from './sqlite-event-repos.js';
import { sqliteRecordingsRepo } from './sqlite-segment-repos.js';
import { sqliteCameraSourcesRepo } from './sqlite-camera-source-repos.js';
import { sqliteManualRecordingRepo } from './sqlite-manual-recording-repo.js';

interface UserRow {
  id: number;
  username: string;
  password_hash: string;
  role: string;
  created_at_ms: number;
  password_changed_at_ms: number;
}
const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  username: r.username,
  passwordHash: r.password_hash,
  role: r.role as Role,
  createdAtMs: r.created_at_ms,
  passwordChangedAtMs: r.password_changed_at_ms,
});

interface SessionRow {
  id_hash: string;
  user_id: number;
  csrf_token: string;
  created_at_ms: number;
  last_seen_at_ms: number;
  absolute_expires_at_ms: number;
  client_ip: string | null;
  user_agent: string | null;
}
const toSession = (r: SessionRow): SessionRecord => ({
  idHash: r.id_hash,
  userId: r.user_id,
  csrfToken: r.csrf_token,
  createdAtMs: r.created_at_ms,
  lastSeenAtMs: r.last_seen_at_ms,
  absoluteExpiresAtMs: r.absolute_expires_at_ms,
  clientIp: r.client_ip,
  userAgent: r.user_agent,
});

interface TokenRow {
  id: number;
  user_id: number;
  name: string;
  token_hash: string;
  prefix: string;
  created_at_ms: number;
  expires_at_ms: number | null;
  last_used_at_ms: number | null;
}
const toToken = (r: TokenRow): TokenRecord => ({
  id: r.id,
  userId: r.user_id,
  name: r.name,
  tokenHash: r.token_hash,
  prefix: r.prefix,
  createdAtMs: r.created_at_ms,
  expiresAtMs: r.expires_at_ms,
  lastUsedAtMs: r.last_used_at_ms,
});

export function openSqliteCatalog(file: string): Catalog {
  return sqliteCatalog(openSqlite(file));
}

export function sqliteCatalog(db: SqliteDb): Catalog {
  const insertUser = db.prepare(
    `INSERT INTO users (username, password_hash, role, created_at_ms, password_changed_at_ms)
     VALUES (@username, @passwordHash, @role, @nowMs, @nowMs) ON CONFLICT (username) DO NOTHING RETURNING *`,
  );
  const insertFirstUser = db.prepare(
    `INSERT INTO users (username, password_hash, role, created_at_ms, password_changed_at_ms)
     SELECT @username, @passwordHash, @role, @nowMs, @nowMs WHERE NOT EXISTS (SELECT 1 FROM users) RETURNING *`,
  );
  const row = <T>(stmt: string) => {
    const s = db.prepare(stmt);
    return (...args: unknown[]) => s.get(...args) as T | undefined;
  };
  const rows = <T>(stmt: string) => {
    const s = db.prepare(stmt);
    return (...args: unknown[]) => s.all(...args) as T[];
  };
  const run = (stmt: string) => {
    const s = db.prepare(stmt);
    return (...args: unknown[]) => s.run(...args).changes;
  };
  const q = {
    countUsers: row<{ n: number }>('SELECT count(*) AS n FROM users'),
    listUsers: rows<UserRow>('SELECT * FROM users ORDER BY id'),
    userById: row<UserRow>('SELECT * FROM users WHERE id = ?'),
    userByName: row<UserRow>('SELECT * FROM users WHERE username = ?'),
    setPassword: run('UPDATE users SET password_hash = ?, password_changed_at_ms = ? WHERE id = ?'),
    insertSession: run(
      `INSERT INTO sessions (id_hash, user_id, csrf_token, created_at_ms, last_seen_at_ms, absolute_expires_at_ms, client_ip, user_agent)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    session: row<SessionRow>('SELECT * FROM sessions WHERE id_hash = ?'),
    touchSession: run('UPDATE sessions SET last_seen_at_ms = ? WHERE id_hash = ?'),
    deleteSession: run('DELETE FROM sessions WHERE id_hash = ?'),
    deleteUserSessions: run('DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?'),
    deleteExpired: run('DELETE FROM sessions WHERE absolute_expires_at_ms <= ? OR last_seen_at_ms <= ?'),
    insertToken: row<TokenRow>(
      `INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at_ms, expires_at_ms)
       VALUES (?, ?, ?, ?, ?, ?) RETURNING *`,
    ),
    tokenByHash: row<TokenRow>('SELECT * FROM api_tokens WHERE token_hash = ?'),
    tokensOfUser: rows<TokenRow>('SELECT * FROM api_tokens WHERE user_id = ? ORDER BY id'),
    deleteToken: run('DELETE FROM api_tokens WHERE id = ? AND user_id = ?'),
    touchToken: run('UPDATE api_tokens SET last_used_at_ms = ? WHERE id = ?'),
    getSetting: row<{ value_json: string }>('SELECT value_json FROM settings WHERE key = ?'),
    setSetting: run(
      'INSERT INTO settings (key, value_json) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json',
    ),
  };
  const maybeUser = (r: UserRow | undefined) => (r ? toUser(r) : undefined);
  return {
    storageLocations: sqliteLocationsRepo(db),
    cameraSources: sqliteCameraSourcesRepo(db),
    manualRecording: sqliteManualRecordingRepo(db),
    cameras: sqliteCamerasRepo(db),
    streams: sqliteStreamsRepo(db),
    recordings: sqliteRecordingsRepo(db),
    gaps: sqliteGapsRepo(db),
    motion: sqliteMotionRepo(db),
    locks: sqliteLocksRepo(db),
    timeline: sqliteTimelineRepo(db),
    schemaVersion: schemaVersion(db),
    close: () => db.close(),
    users: {
      count: async () => q.countUsers()?.n ?? 0,
      list: async () => q.listUsers().map(toUser),
      findById: async (id) => maybeUser(q.userById(id)),
      findByUsername: async (username) => maybeUser(q.userByName(username)),
      create: async (u: NewUser) => maybeUser(insertUser.get(u) as UserRow | undefined),
      createFirst: async (u: NewUser) => maybeUser(insertFirstUser.get(u) as UserRow | undefined),
      setPassword: async (id, hash, nowMs) => void q.setPassword(hash, nowMs, id),
    },
    sessions: {
      create: async (s) =>
        void q.insertSession(
          s.idHash,
          s.userId,
          s.csrfToken,
          s.createdAtMs,
          s.lastSeenAtMs,
          s.absoluteExpiresAtMs,
          s.clientIp,
          s.userAgent,
        ),
      find: async (idHash) => {
        const r = q.session(idHash);
        return r ? toSession(r) : undefined;
      },
      touch: async (idHash, nowMs) => void q.touchSession(nowMs, idHash),
      delete: async (idHash) => void q.deleteSession(idHash),
      deleteForUser: async (userId, exceptIdHash) => q.deleteUserSessions(userId, exceptIdHash ?? ''),
      deleteExpired: async (nowMs, idleMs) => q.deleteExpired(nowMs, nowMs - idleMs),
    },
    tokens: {
      create: async (t) =>
        toToken(q.insertToken(t.userId, t.name, t.tokenHash, t.prefix, t.createdAtMs, t.expiresAtMs)!),
      findByHash: async (hash) => {
        const r = q.tokenByHash(hash);
        return r ? toToken(r) : undefined;
      },
      listForUser: async (userId) => q.tokensOfUser(userId).map(toToken),
      delete: async (id, userId) => q.deleteToken(id, userId) > 0,
      touch: async (id, nowMs) => void q.touchToken(nowMs, id),
    },
    settings: {
      get: async <T>(key: string) => {
        const r = q.getSetting(key);
        return r ? (JSON.parse(r.value_json) as T) : undefined;
      },
      set: async (key, value) => void q.setSetting(key, JSON.stringify(value)),
    },
  };
}
