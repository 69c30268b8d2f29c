// Setup, login, logout, sessions, API tokens, CSRF and throttling against a real HTTPS server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpsCall, TestSession } from './helpers/https-client.js';
import { ADMIN, setupBody, startTestServer, type TestServer } from './helpers/test-server.js';

let t: TestServer;
const errorCode = (json: unknown): string | undefined => (json as { error?: { code?: string } }).error?.code;

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

describe('first-run setup and sessions', () => {
  it('requires setup before anything else and reports it in hello', async () => {
    const hello = await httpsCall(t.port, t.ca, '/api/v1/hello');
    expect(hello.status).toBe(200);
    expect(hello.json).toMatchObject({
      product: 'Argus',
      setupRequired: true,
      certificateId: t.server.certificateId,
    });
    const info = await httpsCall(t.port, t.ca, '/api/v1/server');
    expect(info.status).toBe(503);
    expect(errorCode(info.json)).toBe('ARGUS_ERR_SETUP_REQUIRED');
  });

  it('rejects a setup body with an unknown time zone or a short password, storing nothing', async () => {
    const badZone = await httpsCall(t.port, t.ca, '/api/v1/setup', {
      method: 'POST',
      body: setupBody({ timeZone: 'Mars/Olympus' }),
    });
    expect(badZone.status).toBe(400);
    expect(errorCode(badZone.json)).toBe('ARGUS_ERR_VALIDATION');
    const shortPw = await httpsCall(t.port, t.ca, '/api/v1/setup', {
      method: 'POST',
      body: setupBody({ administrator: { username: 'admin', password: 'short' } }),
    });
    expect(shortPw.status).toBe(400);
    expect(JSON.stringify(shortPw.json)).toContain('administrator.password');
    expect((await httpsCall(t.port, t.ca, '/api/v1/hello')).json).toMatchObject({ setupRequired: true });
  });

  it('accepts setup from loopback, logs the administrator in, and refuses a second setup', async () => {
    const s = new TestSession(t.port, t.ca);
    const res = await s.call('/api/v1/setup', { method: 'POST', body: setupBody() });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ user: { username: 'admin', role: 'administrator' } });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^argus_session=[A-Za-z0-9_-]{40,};/);
    for (const attr of ['Secure', 'HttpOnly', 'SameSite=Strict', 'Path=/']) expect(cookie).toContain(attr);
    const info = await s.call('/api/v1/server');
    expect(info.status).toBe(200);
    expect(info.json).toMatchObject({
      serverName: 'Test site',
      timeZone: 'Europe/Stockholm',
      certificateId: t.server.certificateId,
    });
    expect(t.server.setupToken).toBeUndefined();
    const again = await httpsCall(t.port, t.ca, '/api/v1/setup', { method: 'POST', body: setupBody() });
    expect(again.status).toBe(409);
    expect(errorCode(again.json)).toBe('ARGUS_ERR_SETUP_DONE');
  });

  it('gives an unknown user and a wrong password the same answer', async () => {
    const unknown = await httpsCall(t.port, t.ca, '/api/v1/auth/login', {
      method: 'POST',
      body: { username: 'nobody', password: 'whatever-123' },
    });
    const wrong = await httpsCall(t.port, t.ca, '/api/v1/auth/login', {
      method: 'POST',
      body: { username: 'admin2', password: 'whatever-123' },
    });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    const strip = (j: unknown) => ({ ...(j as { error: object }).error, requestId: undefined });
    expect(strip(unknown.json)).toEqual(strip(wrong.json));
  });

  it('issues a new session ID at every login, and logout ends the session', async () => {
    const a = new TestSession(t.port, t.ca);
    const b = new TestSession(t.port, t.ca);
    expect((await a.call('/api/v1/auth/login', { method: 'POST', body: ADMIN })).status).toBe(200);
    expect((await b.call('/api/v1/auth/login', { method: 'POST', body: ADMIN })).status).toBe(200);
    expect(a.cookie).toBeDefined();
    expect(a.cookie).not.toEqual(b.cookie);
    const oldCookie = a.cookie!;
    expect((await a.call('/api/v1/auth/logout', { method: 'POST' })).status).toBe(204);
    const after = await httpsCall(t.port, t.ca, '/api/v1/auth/session', { headers: { cookie: oldCookie } });
    expect(after.status).toBe(401);
    expect((await b.call('/api/v1/auth/session')).status).toBe(200);
  });

  it('rejects a state-changing request with the session cookie but without the CSRF token', async () => {
    const s = new TestSession(t.port, t.ca);
    await s.call('/api/v1/auth/login', { method: 'POST', body: ADMIN });
    const noToken = await s.call('/api/v1/tokens', { method: 'POST', body: { name: 'x' }, csrf: false });
    expect(noToken.status).toBe(403);
    expect(errorCode(noToken.json)).toBe('ARGUS_ERR_CSRF');
    const wrongToken = await s.call('/api/v1/tokens', {
      method: 'POST',
      body: { name: 'x' },
      csrf: false,
      headers: { 'x-csrf-token': 'nope' },
    });
    expect(wrongToken.status).toBe(403);
    const logoutNoToken = await s.call('/api/v1/auth/logout', { method: 'POST', csrf: false });
    expect(logoutNoToken.status).toBe(403);
    expect((await s.call('/api/v1/auth/session')).status).toBe(200);
    const crossOrigin = await httpsCall(t.port, t.ca, '/api/v1/auth/login', {
      method: 'POST',
      body: ADMIN,
      headers: { origin: 'https://evil.example' },
    });
    expect(crossOrigin.status).toBe(403);
    expect(errorCode(crossOrigin.json)).toBe('ARGUS_ERR_CSRF');
  });

  it('creates a personal API token that works with Bearer until revoked', async () => {
    const s = new TestSession(t.port, t.ca);
    await s.call('/api/v1/auth/login', { method: 'POST', body: ADMIN });
    const created = await s.call('/api/v1/tokens', {
      method: 'POST',
      body: { name: 'backup script', expiresInDays: 30 },
    });
    expect(created.status).toBe(201);
    const { secret, token } = created.json as { secret: string; token: { id: number; prefix: string } };
    expect(secret.startsWith(token.prefix)).toBe(true);
    const bearer = { authorization: `Bearer ${secret}` };
    const info = await httpsCall(t.port, t.ca, '/api/v1/server', { headers: bearer });
    expect(info.status).toBe(200);
    // Token requests carry no ambient credentials, so they need no CSRF token.
    const viaToken = await httpsCall(t.port, t.ca, '/api/v1/tokens', {
      method: 'POST',
      body: { name: 'second' },
      headers: bearer,
    });
    expect(viaToken.status).toBe(201);
    const listed = await s.call('/api/v1/tokens');
    expect(JSON.stringify(listed.json)).not.toContain(secret);
    expect((listed.json as { tokens: unknown[] }).tokens).toHaveLength(2);
    expect((await s.call(`/api/v1/tokens/${token.id}`, { method: 'DELETE' })).status).toBe(204);
    const revoked = await httpsCall(t.port, t.ca, '/api/v1/server', { headers: bearer });
    expect(revoked.status).toBe(401);
    expect(errorCode(revoked.json)).toBe('ARGUS_ERR_UNAUTHENTICATED');
    expect(
      (await httpsCall(t.port, t.ca, '/api/v1/server', { headers: { authorization: 'Bearer argus_forged' } }))
        .status,
    ).toBe(401);
  });

  it('enforces the administrator privilege', async () => {
    const admin = new TestSession(t.port, t.ca);
    await admin.call('/api/v1/auth/login', { method: 'POST', body: ADMIN });
    const created = await admin.call('/api/v1/users', {
      method: 'POST',
      body: { username: 'olga', password: 'operator-password', role: 'operator' },
    });
    expect(created.status).toBe(201);
    const dup = await admin.call('/api/v1/users', {
      method: 'POST',
      body: { username: 'OLGA', password: 'operator-password', role: 'viewer' },
    });
    expect(dup.status).toBe(409);
    const op = new TestSession(t.port, t.ca);
    expect(
      (
        await op.call('/api/v1/auth/login', {
          method: 'POST',
          body: { username: 'olga', password: 'operator-password' },
        })
      ).status,
    ).toBe(200);
    expect((await op.call('/api/v1/server')).status).toBe(200);
    const denied = await op.call('/api/v1/users');
    expect(denied.status).toBe(403);
    expect(errorCode(denied.json)).toBe('ARGUS_ERR_FORBIDDEN');
    const patch = await op.call('/api/v1/server', { method: 'PATCH', body: { serverName: 'hijacked' } });
    expect(patch.status).toBe(403);
  });

  it('changing the password ends the other sessions', async () => {
    const a = new TestSession(t.port, t.ca);
    const b = new TestSession(t.port, t.ca);
    const creds = { username: 'olga', password: 'operator-password' };
    await a.call('/api/v1/auth/login', { method: 'POST', body: creds });
    await b.call('/api/v1/auth/login', { method: 'POST', body: creds });
    const wrong = await a.call('/api/v1/users/me/password', {
      method: 'POST',
      body: { currentPassword: 'nope', newPassword: 'a-new-password-1' },
    });
    expect(wrong.status).toBe(401);
    const ok = await a.call('/api/v1/users/me/password', {
      method: 'POST',
      body: { currentPassword: creds.password, newPassword: 'a-new-password-1' },
    });
    expect(ok.status).toBe(204);
    expect((await a.call('/api/v1/auth/session')).status).toBe(200);
    expect((await b.call('/api/v1/auth/session')).status).toBe(401);
  });
});

describe('login throttling', () => {
  let fresh: TestServer;
  beforeAll(async () => {
    fresh = await startTestServer({
      patch: (c) => {
        c.auth.loginDelayAfterFailures = 2;
        c.auth.loginLockoutAfterFailures = 4;
        c.auth.maxLoginDelayMs = 600;
      },
    });
    await httpsCall(fresh.port, fresh.ca, '/api/v1/setup', { method: 'POST', body: setupBody() });
  });
  afterAll(() => fresh.stop());

  it('delays and then refuses logins after repeated failures', async () => {
    const attempt = () =>
      httpsCall(fresh.port, fresh.ca, '/api/v1/auth/login', {
        method: 'POST',
        body: { username: 'admin', password: 'wrong-password' },
      });
    const statuses: number[] = [];
    const durations: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      statuses.push((await attempt()).status);
      durations.push(performance.now() - start);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    // From the third failure on the answer is delayed (500 ms, then 600 ms cap).
    expect(durations[2]).toBeGreaterThanOrEqual(450);
    const locked = await httpsCall(fresh.port, fresh.ca, '/api/v1/auth/login', {
      method: 'POST',
      body: ADMIN,
    });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });
});
