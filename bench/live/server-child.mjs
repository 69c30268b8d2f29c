// Child process of the live benchmark: the built Argus server (HTTPS on a free port, a temporary
// data directory, this folder's page/ as the web root), first-run setup, the simulated cameras
// added (main + sub, continuous recording). Answers 'stats' over IPC with its RSS and live figures.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, defaultConfig, startServer } from '../../packages/server/dist/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = mkdtempSync(path.join(tmpdir(), 'argus-bench-live-'));
const config = defaultConfig();
config.dataDir = dataDir;
config.https = { ...config.https, host: '127.0.0.1', port: 0 };
config.http = { ...config.http, enabled: false };
const server = await startServer({
  config,
  logger: createLogger('warn'),
  version: 'bench',
  webRoot: path.join(here, 'page'),
});
const admin = { username: 'admin', password: 'benchmark password 1' };
const setup = await server.inject({
  method: 'POST',
  url: '/api/v1/setup',
  headers: { 'x-argus-setup-token': server.setupToken ?? '' },
  payload: { serverName: 'bench', timeZone: 'UTC', administrator: admin },
});
if (setup.statusCode !== 201) throw new Error(`setup failed: ${setup.body}`);

const ids = [];
process.on('message', async (m) => {
  if (m.type === 'cameras') {
    for (const c of m.cameras)
      ids.push(
        await server.putCamera({
          name: c.name,
          mainUrl: c.main,
          subUrl: c.sub,
          credentials: { username: c.user, password: c.password },
          recording: { mode: 'continuous' },
        }),
      );
    process.send({ type: 'cameras', ids });
  } else if (m.type === 'stats') {
    const live = server.liveStats();
    process.send({
      type: 'stats',
      rssBytes: process.memoryUsage().rss,
      heapUsedBytes: process.memoryUsage().heapUsed,
      externalBytes: process.memoryUsage().external,
      arrayBuffersBytes: process.memoryUsage().arrayBuffers,
      viewers: live.viewers,
      heldBytes: live.heldBytes,
      queuedBytes: live.perViewer.reduce((n, v) => n + v.bufferedBytes, 0),
      droppedGops: live.perViewer.reduce((n, v) => n + v.droppedGops, 0),
    });
  }
});
process.on(
  'disconnect',
  () =>
    void server.close().finally(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    }),
);
process.send({ type: 'ready', port: server.httpsPort, admin });
