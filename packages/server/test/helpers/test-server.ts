// Starts a real Argus server for a test: HTTPS on a free port, a temporary data directory, a
// silent logger unless ARGUS_TEST_LOG is set.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger, defaultConfig, startServer, type Config, type RunningServer } from '@argus/server';

export interface TestServer {
  server: RunningServer;
  config: Config;
  dataDir: string;
  ca: string;
  port: number;
  stop(removeData?: boolean): Promise<void>;
}

export function testConfig(dataDir: string, patch: (c: Config) => void = () => undefined): Config {
  const config = defaultConfig();
  config.dataDir = dataDir;
  config.https = { ...config.https, host: '127.0.0.1', port: 0 };
  config.http = { ...config.http, host: '127.0.0.1', port: 0 };
  config.log.level = process.env['ARGUS_TEST_LOG'] ? 'debug' : 'silent';
  patch(config);
  return config;
}

export function tempDataDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'argus-test-'));
}

export async function startTestServer(
  options: { dataDir?: string; patch?: (c: Config) => void; webRoot?: string } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDataDir();
  const config = testConfig(dataDir, options.patch);
  const server = await startServer({
    config,
    logger: createLogger(config.log.level),
    version: '0.0.0-test',
    ...(options.webRoot ? { webRoot: options.webRoot } : {}),
  });
  const ca = readFileSync(path.join(dataDir, 'tls', 'server.crt'), 'utf8');
  return {
    server,
    config,
    dataDir,
    ca,
    port: server.httpsPort,
    async stop(removeData = true) {
      await server.close();
      if (removeData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const ADMIN = { username: 'admin', password: 'correct horse battery' };

export function setupBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { serverName: 'Test site', timeZone: 'Europe/Stockholm', administrator: ADMIN, ...extra };
}
