// A real Argus server for camera tests: HTTPS on a free port, a temporary data directory, setup
// done, and an administrator API token; `api()` calls it over HTTPS with the token.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, defaultConfig, startServer, type RunningServer } from '@argus/server';
import type { OpenSource } from '../../src/ingest/index.js';
import { httpsCall, TestSession, type TestResponse } from './https-client.js';

export interface CameraServer {
  server: RunningServer;
  dataDir: string;
  port: number;
  ca: string;
  /** Every log line the server wrote (JSON), for leak checks. */
  logs: string[];
  api(method: string, url: string, body?: unknown, token?: string): Promise<TestResponse>;
  adminToken: string;
  /** A token of a new user with the given role. */
  tokenFor(role: 'viewer' | 'operator'): Promise<string>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const ADMIN = { username: 'admin', password: 'correct horse battery' };

export async function startCameraServer(
  options: {
    openSource?: OpenSource;
    timeZone?: string;
    dataDir?: string;
    recordingFiles?: { segmentDurationMs?: number; maxFragmentDurationMs?: number };
  } = {},
): Promise<CameraServer> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'argus-cam-'));
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const boot = async (): Promise<RunningServer> => {
    const config = defaultConfig();
    config.dataDir = dataDir;
    config.https = { ...config.https, host: '127.0.0.1', port: 0 };
    config.http = { ...config.http, enabled: false };
    config.log.level = 'debug';
    return startServer({
      config,
      logger: createLogger('debug', sink),
      version: '0.0.0-test',
      ...(options.openSource ? { openSource: options.openSource } : {}),
      ...(options.recordingFiles ? { recordingFiles: options.recordingFiles } : {}),
    });
  };
  let server = await boot();
  const ca = (): string => readFileSync(path.join(dataDir, 'tls', 'server.crt'), 'utf8');
  const self: CameraServer = {
    server,
    dataDir,
    port: server.httpsPort,
    ca: ca(),
    logs,
    adminToken: '',
    api(method, url, body, token) {
      return httpsCall(self.port, self.ca, url, {
        method,
        ...(body === undefined ? {} : { body }),
        headers: { authorization: `Bearer ${token ?? self.adminToken}` },
      });
    },
    async tokenFor(role) {
      const username = `${role}${Math.floor(Math.random() * 1e6)}`;
      const password = 'another long password';
      const created = await self.api('POST', '/api/v1/users', { username, password, role });
      if (created.status !== 201) throw new Error(`cannot create ${role}: ${created.text}`);
      const s = new TestSession(self.port, self.ca);
      await s.call('/api/v1/auth/login', { method: 'POST', body: { username, password } });
      const t = await s.call('/api/v1/tokens', { method: 'POST', body: { name: 'test' } });
      return (t.json as { secret: string }).secret;
    },
    async restart() {
      await server.close();
      server = await boot();
      self.server = server;
      self.port = server.httpsPort;
      self.ca = ca();
    },
    async stop() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  if (options.dataDir === undefined) {
    const s = new TestSession(self.port, self.ca);
    const setup = await s.call('/api/v1/setup', {
      method: 'POST',
      body: { serverName: 'Camera test', timeZone: options.timeZone ?? 'UTC', administrator: ADMIN },
    });
    if (setup.status !== 201) throw new Error(`setup failed: ${setup.text}`);
    const t = await s.call('/api/v1/tokens', { method: 'POST', body: { name: 'admin' } });
    self.adminToken = (t.json as { secret: string }).secret;
  }
  return self;
}
