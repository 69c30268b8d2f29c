// Local authentication: login with throttling and the same answer for an unknown user and a wrong
// password, cookie sessions with idle and absolute timeouts, personal API tokens, password change.
import type { Role } from '@argus/api';
import { ArgusError, randomToken, sha256Hex, type Clock } from '../base/index.js';
import type { Catalog, SessionRecord, TokenRecord, UserRecord } from '../db/index.js';
import { LoginThrottle, type LoginThrottleOptions } from './login-throttle.js';
import { hashPassword, makeDecoyHash, verifyPassword } from './password-hasher.js';

export interface Principal {
  user: UserRecord;
  via: 'session' | 'token';
  session?: SessionRecord;
  tokenId?: number;
}

export interface AuthServiceOptions {
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  throttle: LoginThrottleOptions;
  /** Waits between a failed check and the answer; injected so tests need not sleep. */
  sleep?: (ms: number) => Promise<void>;
}

export const TOKEN_PREFIX = 'argus_';
/** Touching last_seen on every request would write per request; once a minute is enough for idle expiry. */
const TOUCH_EVERY_MS = 60_000;

export class AuthService {
  private readonly throttle: LoginThrottle;
  private decoyHash: Promise<string> | undefined;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly catalog: Catalog,
    private readonly clock: Clock,
    private readonly options: AuthServiceOptions,
  ) {
    this.throttle = new LoginThrottle(clock, options.throttle);
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  async login(username: string, password: string, clientIp: string, userAgent: string | null) {
    const decision = this.throttle.check(clientIp, username);
    if (!decision.allowed) {
      throw new ArgusError('RATE_LIMITED', 'Too many failed logins; try again later', {
        headers: { 'retry-after': String(decision.retryAfterSeconds) },
      });
    }
    const user = await this.catalog.users.findByUsername(username);
    this.decoyHash ??= makeDecoyHash();
    const ok = await verifyPassword(user?.passwordHash ?? (await this.decoyHash), password);
    if (!user || !ok) {
      this.throttle.recordFailure(clientIp, username);
      if (decision.delayMs > 0) await this.sleep(decision.delayMs);
      throw new ArgusError('BAD_CREDENTIALS', 'Wrong username or password');
    }
    this.throttle.recordSuccess(username);
    return this.startSession(user, clientIp, userAgent);
  }

  /** A fresh session ID on every login (no fixation); only its SHA-256 is stored. */
  async startSession(user: UserRecord, clientIp: string | null, userAgent: string | null) {
    const sessionId = randomToken(32);
    const nowMs = this.clock.nowMs();
    const session: SessionRecord = {
      idHash: sha256Hex(sessionId),
      userId: user.id,
      csrfToken: randomToken(24),
      createdAtMs: nowMs,
      lastSeenAtMs: nowMs,
      absoluteExpiresAtMs: nowMs + this.options.sessionAbsoluteMs,
      clientIp,
      userAgent: userAgent?.slice(0, 300) ?? null,
    };
    await this.catalog.sessions.create(session);
    return { sessionId, session, user };
  }

  idleExpiresAtMs(session: SessionRecord): number {
    return Math.min(session.lastSeenAtMs + this.options.sessionIdleMs, session.absoluteExpiresAtMs);
  }

  async authenticateSession(sessionId: string): Promise<Principal | undefined> {
    const idHash = sha256Hex(sessionId);
    const session = await this.catalog.sessions.find(idHash);
    if (!session) return undefined;
    const nowMs = this.clock.nowMs();
    if (nowMs >= this.idleExpiresAtMs(session)) {
      await this.catalog.sessions.delete(idHash);
      return undefined;
    }
    const user = await this.catalog.users.findById(session.userId);
    if (!user) return undefined;
    if (nowMs - session.lastSeenAtMs >= TOUCH_EVERY_MS) {
      await this.catalog.sessions.touch(idHash, nowMs);
      session.lastSeenAtMs = nowMs;
    }
    return { user, via: 'session', session };
  }

  async logout(session: SessionRecord): Promise<void> {
    await this.catalog.sessions.delete(session.idHash);
  }

  async authenticateToken(secret: string): Promise<Principal | undefined> {
    if (!secret.startsWith(TOKEN_PREFIX)) return undefined;
    const token = await this.catalog.tokens.findByHash(sha256Hex(secret));
    if (!token) return undefined;
    const nowMs = this.clock.nowMs();
    if (token.expiresAtMs !== null && nowMs >= token.expiresAtMs) return undefined;
    const user = await this.catalog.users.findById(token.userId);
    if (!user) return undefined;
    if (token.lastUsedAtMs === null || nowMs - token.lastUsedAtMs >= TOUCH_EVERY_MS)
      await this.catalog.tokens.touch(token.id, nowMs);
    return { user, via: 'token', tokenId: token.id };
  }

  async createToken(
    userId: number,
    name: string,
    expiresInDays: number | undefined,
  ): Promise<{ record: TokenRecord; secret: string }> {
    const secret = TOKEN_PREFIX + randomToken(32);
    const nowMs = this.clock.nowMs();
    const record = await this.catalog.tokens.create({
      userId,
      name,
      tokenHash: sha256Hex(secret),
      prefix: secret.slice(0, TOKEN_PREFIX.length + 6),
      createdAtMs: nowMs,
      expiresAtMs: expiresInDays === undefined ? null : nowMs + expiresInDays * 86_400_000,
    });
    return { record, secret };
  }

  async createUser(username: string, password: string, role: Role): Promise<UserRecord> {
    const user = await this.catalog.users.create({
      username,
      passwordHash: await hashPassword(password),
      role,
      nowMs: this.clock.nowMs(),
    });
    if (!user) throw new ArgusError('CONFLICT', `A user named "${username}" already exists`);
    return user;
  }

  /** Checks the current password; ends the user's other sessions (a changed password should log others out). */
  async changePassword(principal: Principal, currentPassword: string, newPassword: string): Promise<void> {
    if (!(await verifyPassword(principal.user.passwordHash, currentPassword)))
      throw new ArgusError('BAD_CREDENTIALS', 'The current password is wrong');
    await this.catalog.users.setPassword(
      principal.user.id,
      await hashPassword(newPassword),
      this.clock.nowMs(),
    );
    await this.catalog.sessions.deleteForUser(principal.user.id, principal.session?.idHash);
  }

  async sweep(): Promise<void> {
    this.throttle.sweep();
    await this.catalog.sessions.deleteExpired(this.clock.nowMs(), this.options.sessionIdleMs);
  }
}
