// Child process of the recording benchmark: the built Argus server (HTTPS on a free port on
// 127.0.0.1, a temporary data directory, log level warn), first-run setup, then on 'cameras' the
// given RTSP URLs added as cameras (main stream only, continuous recording). 'stop' closes it and
// deletes the data directory. Reports its data directory so the parent can count bytes on disk.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger, defaultConfig, startServer } from '../../packages/server/dist/index.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'argus-bench-recording-'));
const config = defaultConfig();
config.dataDir = dataDir;
config.https = { ...config.https, host: '127.0.0.1', port: 0 };
config.http = { ...config.http, enabled: false };
const server = await startServer({ config, logger: createLogger('warn'), version: 'bench' });
const setup = await server.inject({
  method: 'POST',
  url: '/api/v1/setup',
  headers: { 'x-argus-setup-token': server.setupToken ?? '' },
  payload: {
    serverName: 'bench',
    timeZone: 'UTC',
    administrator: { username: 'admin', password: 'benchmark password 1' },
  },
});
if (setup.statusCode !== 201) throw new Error(`setup failed: ${setup.body}`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  try {
    await server.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  }
}

process.on('message', async (m) => {
  if (m?.type === 'cameras') {
    const ids = [];
    for (const [i, url] of m.urls.entries())
      ids.push(
        await server.putCamera({
          name: `bench-${i + 1}`,
          mainUrl: url,
          transport: 'tcp',
          retentionDays: 1,
          recording: { mode: 'continuous', stream: 'main' },
        }),
      );
    process.send({ type: 'cameras', ids });
  } else if (m?.type === 'mem') {
    const u = process.memoryUsage();
    process.send({ type: 'mem', heapUsed: u.heapUsed, heapTotal: u.heapTotal, arrayBuffers: u.arrayBuffers });
  } else if (m?.type === 'stop') void stop();
});
process.on('disconnect', () => void stop());
process.send({ type: 'ready', dataDir, port: server.httpsPort });
