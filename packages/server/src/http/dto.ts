// Maps catalog records to API shapes; the response schemas then drop anything not declared.
import type { ApiToken, SessionInfo, User } from '@argus/api';
import type { AuthService } from '../auth/index.js';
import type { SessionRecord, TokenRecord, UserRecord } from '../db/index.js';

const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

export const userDto = (u: UserRecord): User => ({
  id: u.id,
  username: u.username,
  role: u.role,
  createdAt: iso(u.createdAtMs),
});

export const tokenDto = (t: TokenRecord): ApiToken => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  createdAt: iso(t.createdAtMs),
  expiresAt: isoOrNull(t.expiresAtMs),
  lastUsedAt: isoOrNull(t.lastUsedAtMs),
});

export const sessionDto = (auth: AuthService, user: UserRecord, s: SessionRecord): SessionInfo => ({
  user: userDto(user),
  csrfToken: s.csrfToken,
  idleExpiresAt: iso(auth.idleExpiresAtMs(s)),
  absoluteExpiresAt: iso(s.absoluteExpiresAtMs),
});
