// Interop: our RTSP server judged by clients we did not write. A relay mount re-serves what our
// client pulls from GStreamer; ffprobe must see H.264 320x240, `ffmpeg -t 3 -f null -` and
// GStreamer's rtspsrc must decode and exit 0, over TCP and UDP, with Digest authentication on.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRtspServer } from '@argus/media';
import type { RtspServer } from '@argus/media';
import { type GstRtspServer, startGstRtspServer } from './peers/gst-rtsp-server.js';
import { type RelayMount, relayMount } from './peers/test-mounts.js';

let gst: GstRtspServer;
let relay: RelayMount;
let server: RtspServer;

beforeAll(async () => {
  gst = await startGstRtspServer();
  relay = await relayMount(gst.url('/h264'));
  server = await createRtspServer({
    host: '127.0.0.1',
    port: 0,
    users: { viewer: 'pa ss' },
    resolveMount: (path) => (path === '/relay' ? relay : null),
  });
});

afterAll(async () => {
  await server?.close();
  await relay?.client.close();
  await gst?.stop();
});

function run(
  cmd: string,
  args: string[],
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const url = (): string => `rtsp://viewer:pa%20ss@127.0.0.1:${server.port}/relay`;

describe('our RTSP server against ffprobe and ffmpeg', () => {
  for (const transport of ['tcp', 'udp'] as const) {
    it(`ffprobe reports h264 320x240 over ${transport}`, async () => {
      const result = await run(
        'ffprobe',
        [
          '-v',
          'error',
          '-rtsp_transport',
          transport,
          '-show_entries',
          'stream=codec_name,width,height',
          '-of',
          'json',
          url(),
        ],
        15_000,
      );
      expect(result.code, result.stderr).toBe(0);
      const streams = (JSON.parse(result.stdout) as { streams: Array<Record<string, unknown>> }).streams;
      expect(streams).toEqual([{ codec_name: 'h264', width: 320, height: 240 }]);
    });
  }

  it('ffmpeg decodes 3 s over TCP with Digest auth and exits 0', async () => {
    const before = server.stats.packetsSent;
    const result = await run(
      'ffmpeg',
      ['-v', 'error', '-rtsp_transport', 'tcp', '-i', url(), '-t', '3', '-f', 'null', '-'],
      20_000,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.trim()).toBe('');
    expect(server.stats.packetsSent - before).toBeGreaterThan(50);
    expect(server.stats.packetsDropped).toBe(0);
  });

  it('ffmpeg decodes 3 s over UDP and exits 0', async () => {
    const result = await run(
      'ffmpeg',
      ['-v', 'error', '-rtsp_transport', 'udp', '-i', url(), '-t', '3', '-f', 'null', '-'],
      20_000,
    );
    expect(result.code, result.stderr).toBe(0);
  });

  it('ffprobe authenticates when the server offers SHA-256 and MD5 challenges (RFC 7616 §3.7)', async () => {
    const both = await createRtspServer({
      host: '127.0.0.1',
      port: 0,
      users: { viewer: 'pa ss' },
      digestAlgorithms: ['SHA-256', 'MD5'],
      resolveMount: () => relay,
    });
    try {
      const result = await run(
        'ffprobe',
        [
          '-v',
          'error',
          '-show_entries',
          'stream=codec_name',
          '-of',
          'csv=p=0',
          `rtsp://viewer:pa%20ss@127.0.0.1:${both.port}/x`,
        ],
        15_000,
      );
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout.trim()).toBe('h264');
      expect(both.stats.authFailures).toBe(0);
    } finally {
      await both.close();
    }
  });

  for (const protocols of ['tcp', 'udp'] as const) {
    it(`GStreamer rtspsrc (${protocols}) with Digest auth decodes 30 frames`, async () => {
      const result = await run(
        'gst-launch-1.0',
        [
          '-v',
          'rtspsrc',
          `location=rtsp://127.0.0.1:${server.port}/relay`,
          'user-id=viewer',
          'user-pw=pa ss',
          `protocols=${protocols}`,
          '!',
          'rtph264depay',
          '!',
          'avdec_h264',
          '!',
          'fakesink',
          'num-buffers=30',
          'silent=false',
        ],
        20_000,
      );
      const output = result.stderr + result.stdout;
      // Every decoded picture reaches the sink ("chain"); the 30th ends the pipeline.
      expect(result.stdout.match(/last-message = chain/g)?.length ?? 0, output).toBe(30);
      // After the 30th, gst-launch tears down: rtspsrc's CLOSE command may flush the connection
      // while its own PAUSE waits for our answer, which it reports as an error (a GStreamer race;
      // its TEARDOWN after that gets our 200). Any other error fails the test.
      const errors = output.split('\n').filter((l) => l.startsWith('ERROR'));
      const shutdownRace = /Could not (write to resource|send message)/;
      expect(
        errors.filter((l) => !shutdownRace.test(l)),
        output,
      ).toEqual([]);
      if (result.code !== 0) expect(result.stderr, output).toMatch(/gst_rtspsrc_pause/);
    });
  }

  it('ffprobe with a wrong password is refused', async () => {
    const result = await run(
      'ffprobe',
      ['-v', 'error', `rtsp://viewer:bad@127.0.0.1:${server.port}/relay`],
      15_000,
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/401|authoriz/i);
    expect(server.stats.authFailures).toBeGreaterThan(0);
  });
});
