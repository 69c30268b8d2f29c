// NTP offset reporting against a local SNTP responder (RFC 4330) and the setup guard for clients
// that are not on the server itself.
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNtpTimestamp, writeNtpTimestamp } from '../src/app/index.js';
import { httpsCall, TestSession } from './helpers/https-client.js';
import { setupBody, startTestServer, type TestServer } from './helpers/test-server.js';

/** An SNTP server whose clock runs `offsetMs` ahead of ours. */
async function startSntpResponder(
  offsetMs: number,
): Promise<{ socket: Socket; port: number; queries: number[] }> {
  const socket = createSocket('udp4');
  const queries: number[] = [];
  socket.on('message', (msg, rinfo) => {
    if (msg.length < 48) return;
    queries.push(Date.now());
    const reply = Buffer.alloc(48);
    reply[0] = (0 << 6) | (4 << 3) | 4;
    reply[1] = 2;
    msg.copy(reply, 24, 40, 48);
    const now = Date.now() + offsetMs;
    writeNtpTimestamp(reply, 16, now);
    writeNtpTimestamp(reply, 32, now);
    writeNtpTimestamp(reply, 40, now);
    socket.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  return { socket, port: socket.address().port, queries };
}

describe('NTP offset', () => {
  let t: TestServer;
  let sntp: Awaited<ReturnType<typeof startSntpResponder>>;
  beforeAll(async () => {
    sntp = await startSntpResponder(1500);
    t = await startTestServer();
  });
  afterAll(async () => {
    sntp.socket.close();
    await t.stop();
  });

  it('round-trips NTP timestamps', () => {
    const b = Buffer.alloc(8);
    writeNtpTimestamp(b, 0, 1_700_000_000_123);
    expect(readNtpTimestamp(b, 0)).toBeCloseTo(1_700_000_000_123, 0);
  });

  it('reports the measured offset of the configured server, and "unknown" when it is unreachable', async () => {
    const s = new TestSession(t.port, t.ca);
    expect(
      (
        await s.call('/api/v1/setup', {
          method: 'POST',
          body: setupBody({ ntpServer: `127.0.0.1:${sntp.port}` }),
        })
      ).status,
    ).toBe(201);
    let ntp: { server: string; offsetMs: number | string } | undefined;
    for (let i = 0; i < 50; i++) {
      ntp = ((await s.call('/api/v1/server')).json as { ntp: typeof ntp }).ntp;
      if (typeof ntp?.offsetMs === 'number') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(ntp?.server).toBe(`127.0.0.1:${sntp.port}`);
    expect(sntp.queries.length).toBeGreaterThan(0);
    expect(ntp?.offsetMs).toBeGreaterThan(1400);
    expect(ntp?.offsetMs).toBeLessThan(1600);

    // A port where nothing answers: the offset becomes unknown.
    const silent = createSocket('udp4');
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', r));
    const patched = await s.call('/api/v1/server', {
      method: 'PATCH',
      body: { ntpServer: `127.0.0.1:${silent.address().port}` },
    });
    expect(patched.status).toBe(200);
    expect((patched.json as { ntp: { offsetMs: unknown } }).ntp.offsetMs).toBe('unknown');
    await new Promise((r) => setTimeout(r, 2500));
    expect(((await s.call('/api/v1/server')).json as { ntp: { offsetMs: unknown } }).ntp.offsetMs).toBe(
      'unknown',
    );
    silent.close();
  });
});

describe('setup from another computer', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.stop());

  it('needs the setup token the server printed', async () => {
    // The running server's own HTTP stack, with the client address of a remote computer.
    const token = t.server.setupToken!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const remote = (extra: Record<string, unknown>, headers: Record<string, string> = {}) =>
      t.server.inject({
        method: 'POST',
        url: '/api/v1/setup',
        remoteAddress: '198.51.100.7',
        payload: setupBody(extra),
        headers,
      });
    const denied = await remote({});
    expect(denied.statusCode).toBe(403);
    expect((denied.json() as { error: { code: string } }).error.code).toBe('ARGUS_ERR_SETUP_NOT_ALLOWED');
    const wrong = await remote({ setupToken: 'guess' });
    expect(wrong.statusCode).toBe(403);
    const ok = await remote({}, { 'x-argus-setup-token': token });
    expect(ok.statusCode).toBe(201);
    expect(t.server.setupToken).toBeUndefined();
    const hello = await httpsCall(t.port, t.ca, '/api/v1/hello');
    expect((hello.json as { setupRequired: boolean }).setupRequired).toBe(false);
  });
});
