// Start-up and bad input: TLS identity and certificate ID, reuse across restarts, the HTTP port,
// a port in use, a locked or unwritable data directory, a corrupt database, malformed requests.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { createLogger, startServer, StartupError } from '@argus/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpsCall } from './helpers/https-client.js';
import { startTestServer, tempDataDir, testConfig, type TestServer } from './helpers/test-server.js';

const errorCode = (json: unknown): string | undefined => (json as { error?: { code?: string } }).error?.code;

function httpGet(
  port: number,
  urlPath: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: urlPath, headers: { host: `localhost:${port}` } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    })
      .on('error', reject)
      .end();
  });
}

async function expectStartupError(promise: Promise<unknown>, code: string): Promise<StartupError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StartupError);
  expect((err as StartupError).code).toBe(code);
  return err as StartupError;
}

describe('a running server', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.stop());

  it('presents the certificate whose SHA-256 fingerprint is the certificate ID, as openssl sees it', async () => {
    // Asynchronous: the server runs in this process and must keep answering while openssl connects.
    const { stdout: out } = await promisify(execFile)('sh', [
      '-c',
      `echo | openssl s_client -connect 127.0.0.1:${t.port} -servername localhost 2>/dev/null | openssl x509 -noout -fingerprint -sha256 -ext subjectAltName`,
    ]);
    expect(out).toContain(`sha256 Fingerprint=${t.server.certificateId}`);
    expect(out).toContain('DNS:localhost');
    expect(out).toContain('IP Address:127.0.0.1');
    const der = Buffer.from(t.ca.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const hex = createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');
    expect(t.server.certificateId).toBe(hex);
    const verify = spawnSync('openssl', [
      'verify',
      '-CAfile',
      path.join(t.dataDir, 'tls/server.crt'),
      path.join(t.dataDir, 'tls/server.crt'),
    ]);
    expect(verify.stdout.toString()).toContain('OK');
  });

  it('serves /healthz on the HTTP port without detail and redirects everything else to HTTPS', async () => {
    const health = await httpGet(t.server.httpPort!, '/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok' });
    const redirect = await httpGet(t.server.httpPort!, '/api/v1/hello?x=1');
    expect(redirect.status).toBe(308);
    expect(redirect.headers['location']).toBe(`https://localhost:${t.port}/api/v1/hello?x=1`);
  });

  it('answers malformed JSON, a wrong content type, an oversized body and an unknown route with codes', async () => {
    const malformed = await httpsCall(t.port, t.ca, '/api/v1/auth/login', {
      method: 'POST',
      rawBody: '{"username": "a",',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(errorCode(malformed.json)).toBe('ARGUS_ERR_MALFORMED_JSON');
    // An empty body labelled JSON is no body: a body-less route goes on (here to "set up first"),
    // a route that needs one says what is missing.
    const emptyJson = { method: 'POST', rawBody: '', headers: { 'content-type': 'application/json' } };
    const logout = await httpsCall(t.port, t.ca, '/api/v1/auth/logout', emptyJson);
    expect(errorCode(logout.json)).toBe('ARGUS_ERR_SETUP_REQUIRED');
    const login = await httpsCall(t.port, t.ca, '/api/v1/auth/login', emptyJson);
    expect(login.status).toBe(400);
    expect(errorCode(login.json)).toBe('ARGUS_ERR_VALIDATION');
    const form = await httpsCall(t.port, t.ca, '/api/v1/auth/login', {
      method: 'POST',
      rawBody: 'username=a',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    expect(errorCode(form.json)).toBe('ARGUS_ERR_UNSUPPORTED_MEDIA_TYPE');
    const big = await httpsCall(t.port, t.ca, '/api/v1/auth/login', {
      method: 'POST',
      rawBody: JSON.stringify({ username: 'a', password: 'x'.repeat(2_000_000) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(big.status).toBe(413);
    expect(errorCode(big.json)).toBe('ARGUS_ERR_BODY_TOO_LARGE');
    const extra = await httpsCall(t.port, t.ca, '/api/v1/auth/login', {
      method: 'POST',
      body: { username: 'a', password: 'b', admin: true },
    });
    expect(extra.status).toBe(400);
    expect(errorCode(extra.json)).toBe('ARGUS_ERR_VALIDATION');
    const missing = await httpsCall(t.port, t.ca, '/api/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(errorCode(missing.json)).toBe('ARGUS_ERR_NOT_FOUND');
    expect((missing.json as { error: { requestId: string } }).error.requestId).toBe(
      missing.headers['x-request-id'],
    );
  });

  it('sends security headers', async () => {
    const res = await httpsCall(t.port, t.ca, '/api/v1/hello');
    expect(res.headers['strict-transport-security']).toContain('max-age=');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('refuses a second server on the same data directory', async () => {
    const config = testConfig(t.dataDir);
    const err = await expectStartupError(
      startServer({ config, logger: createLogger('silent'), version: 't' }),
      'ARGUS_ERR_DATA_DIR_LOCKED',
    );
    expect(err.message).toContain(`PID ${process.pid}`);
  });
});

describe('start-up failures', () => {
  it('reuses its certificate across restarts, and uses an administrator-supplied one instead', async () => {
    const dataDir = tempDataDir();
    const first = await startTestServer({ dataDir });
    const id = first.server.certificateId;
    await first.stop(false);
    const second = await startTestServer({ dataDir });
    expect(second.server.certificateId).toBe(id);
    await second.stop(false);
    // An administrator's certificate (made by openssl, not by us).
    const own = path.join(dataDir, 'own');
    mkdirSync(own);
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout',
        `${own}/k.pem`,
        '-out',
        `${own}/c.pem`,
      ],
      { stdio: 'ignore' },
    );
    const fp = execFileSync('openssl', ['x509', '-in', `${own}/c.pem`, '-noout', '-fingerprint', '-sha256'])
      .toString()
      .trim()
      .split('=')[1];
    const config = testConfig(dataDir, (c) => {
      c.https.certFile = `${own}/c.pem`;
      c.https.keyFile = `${own}/k.pem`;
    });
    const third = await startServer({ config, logger: createLogger('silent'), version: 't' });
    expect(third.certificateId).toBe(fp);
    const hello = await httpsCall(third.httpsPort, readFileSync(`${own}/c.pem`, 'utf8'), '/api/v1/hello');
    expect((hello.json as { certificateId: string }).certificateId).toBe(fp);
    await third.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('names a port that is in use and leaves the data directory unlocked', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const dataDir = tempDataDir();
    const config = testConfig(dataDir, (c) => (c.https.port = port));
    const err = await expectStartupError(
      startServer({ config, logger: createLogger('silent'), version: 't' }),
      'ARGUS_ERR_PORT',
    );
    expect(err.message).toContain(`port ${port} is already in use`);
    blocker.close();
    const ok = await startTestServer({ dataDir });
    await ok.stop();
  });

  it('refuses a corrupt database without changing a byte of it', async () => {
    const dataDir = tempDataDir();
    const file = path.join(dataDir, 'catalog.sqlite');
    const junk = Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(8192, 0x5a)]);
    writeFileSync(file, junk);
    const before = createHash('sha256').update(readFileSync(file)).digest('hex');
    const config = testConfig(dataDir);
    const err = await expectStartupError(
      startServer({ config, logger: createLogger('silent'), version: 't' }),
      'ARGUS_ERR_DB_CORRUPT',
    );
    expect(err.message).toContain('left untouched');
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(before);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('explains an unusable data directory', async () => {
    const parent = tempDataDir();
    const notADir = path.join(parent, 'file');
    writeFileSync(notADir, 'x');
    const config = testConfig(path.join(notADir, 'data'));
    const err = await expectStartupError(
      startServer({ config, logger: createLogger('silent'), version: 't' }),
      'ARGUS_ERR_DATA_DIR',
    );
    expect(err.message).toContain('not writable');
    rmSync(parent, { recursive: true, force: true });
  });
});
