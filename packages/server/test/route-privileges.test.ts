// Deny by default: every route the server registers declares a privilege, and registering one
// without a privilege fails at start-up.
import { Privileges, routeList } from '@argus/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiApp } from '../src/http/index.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

describe('route privileges', () => {
  it('every registered route declares a known privilege', () => {
    expect(t.server.routes.length).toBeGreaterThan(routeList().length);
    const undeclared = t.server.routes.filter((r) => !r.privilege || !Privileges.includes(r.privilege));
    expect(undeclared).toEqual([]);
  });

  it('every route of the API table is registered with the privilege the table declares', () => {
    for (const spec of routeList()) {
      const registered = t.server.routes.find((r) => r.method === spec.method && r.url === spec.path);
      expect(registered, `${spec.method} ${spec.path}`).toBeDefined();
      expect(registered?.privilege).toBe(spec.privilege);
    }
  });

  it('only login, hello, openapi and the web client are public', () => {
    const publicApi = new Set(
      t.server.routes.filter((r) => r.privilege === 'public' && r.url.startsWith('/api/')).map((r) => r.url),
    );
    expect([...publicApi].sort()).toEqual(['/api/v1/auth/login', '/api/v1/hello', '/api/v1/openapi.json']);
  });

  it('refuses to register a route that declares no privilege', async () => {
    const ctx = { logger: undefined, bodyLimitBytes: 1024 } as unknown as Parameters<typeof buildApiApp>[0];
    const { app } = buildApiApp({ ...ctx, logger: (await import('@argus/server')).createLogger('silent') });
    expect(() => app.get('/api/v1/sneaky', async () => 'x')).toThrow(/declares no privilege/);
    await app.close();
  });
});
