// `argus serve` and `argus demo`: run the server (the demo adds four simulated cameras and records them).
import { parseArgs } from 'node:util';
import { serve } from '@argus/server';
import { startSimulator } from '@argus/simulator';
import type { CliIo } from './cli-io.js';
import { describeCamera } from './cmd-sim.js';
import { configOverrides, SERVER_FLAGS, SERVER_FLAGS_HELP } from './server-flags.js';

export const SERVE_HELP = `Usage: argus serve [options]

Runs the Argus recording server: the web client, REST API and WebSocket on HTTPS, and an HTTP
port that redirects to HTTPS and answers /healthz. Stops cleanly on SIGTERM or Ctrl-C.

Options:
${SERVER_FLAGS_HELP}

Environment: ARGUS_CONFIG, ARGUS_DATA_DIR, ARGUS_HTTPS_PORT, ARGUS_HTTP_PORT and ARGUS_<SECTION>_<KEY>
for every configuration key (docs/ref/config.md).`;

export const DEMO_HELP = `Usage: argus demo [options]

Runs the server for a first look, with the same options as \`argus serve\`, and four simulated
cameras on 127.0.0.1 (RTSP, Axis-style HTTP API, ONVIF; motion 10 s every minute). The cameras are
listed with their addresses and credentials, added to the server (or updated, on a later run) and
recorded continuously, with their motion events marked on the timeline; footage is kept one day.

Options:
${SERVER_FLAGS_HELP}`;

const DEMO_CAMERAS = 4;

export async function cmdServe(args: string[], io: CliIo, demo: boolean): Promise<number> {
  const { values } = parseArgs({ args, options: SERVER_FLAGS, allowPositionals: false });
  if (values.help) {
    io.out(demo ? DEMO_HELP : SERVE_HELP);
    return 0;
  }
  const overrides = configOverrides(values);
  if (!demo) return serve({ configFile: values.config, env: io.env, cwd: io.cwd, overrides, print: io.err });
  overrides['log.level'] ??= 'warn';
  const sim = await startSimulator({ cameras: DEMO_CAMERAS, bind: '127.0.0.1', log: (line) => io.err(line) });
  try {
    return await serve({
      configFile: values.config,
      env: io.env,
      cwd: io.cwd,
      overrides,
      print: io.err,
      onStarted: async (server) => {
        io.err(`\nSimulated cameras (${sim.cameras.length}):`);
        for (const camera of sim.cameras) io.err(describeCamera(camera));
        for (const camera of sim.cameras)
          await server.putCamera({
            name: camera.name,
            mainUrl: camera.rtsp.main,
            subUrl: camera.rtsp.sub,
            credentials: { username: camera.user, password: camera.password },
            retentionDays: 1,
            recording: { mode: 'continuous', stream: 'main' },
            motionEvents: { kind: 'axis', url: camera.httpUrl },
          });
        io.err(`Recording the ${sim.cameras.length} simulated cameras.`);
      },
    });
  } finally {
    await sim.close();
  }
}
