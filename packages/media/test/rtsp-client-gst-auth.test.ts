// Interop: RtspClient authentication against GStreamer's RTSP server with Digest (GstRTSPAuth,
// MD5) and Basic: URL and explicit credentials over TCP and UDP, wrong or missing credentials
// give ARGUS_ERR_RTSP_AUTH, and no error or log line ever contains the password.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtspClient, isMediaError } from '@argus/media';
import { type GstRtspServer, startGstRtspServer } from './peers/gst-rtsp-server.js';
import { PacketLog, waitUntil } from './peers/rtp-checks.js';

const PASSWORD = 'S3cr:t@p%w';
const ENCODED = encodeURIComponent(PASSWORD);
let digest: GstRtspServer;
let basic: GstRtspServer;

beforeAll(async () => {
  [digest, basic] = await Promise.all([
    startGstRtspServer({ auth: 'digest', user: 'viewer', password: PASSWORD }),
    startGstRtspServer({ auth: 'basic', user: 'viewer', password: PASSWORD }),
  ]);
});

afterAll(async () => {
  await Promise.all([digest?.stop(), basic?.stop()]);
});

async function playBriefly(client: RtspClient, log: PacketLog): Promise<void> {
  await client.play();
  await waitUntil(() => log.count(0) > 10, 8000, 'RTP packets');
  await client.close();
}

describe('RtspClient authentication against GStreamer', () => {
  it('Digest with credentials in the URL over TCP', async () => {
    const log = new PacketLog();
    const lines: string[] = [];
    const client = new RtspClient({
      url: digest.url('/h264', `viewer:${ENCODED}`),
      onPacket: log.add,
      log: (l) => lines.push(l),
    });
    await playBriefly(client, log);
    await digest.waitForEvent(/^teardown \/h264/);
    expect(lines.join('\n')).not.toContain(ENCODED);
    expect(lines.join('\n')).not.toContain('viewer');
  });

  it('Digest with explicit user/password over UDP', async () => {
    const log = new PacketLog();
    const client = new RtspClient({
      url: digest.url('/h264'),
      user: 'viewer',
      password: PASSWORD,
      transport: 'udp',
      onPacket: log.add,
    });
    await playBriefly(client, log);
  });

  it('Basic with credentials in the URL', async () => {
    const log = new PacketLog();
    await playBriefly(
      new RtspClient({ url: basic.url('/h264', `viewer:${ENCODED}`), onPacket: log.add }),
      log,
    );
  });

  it('wrong or missing credentials fail with ARGUS_ERR_RTSP_AUTH and never leak the password', async () => {
    for (const server of [digest, basic]) {
      for (const url of [server.url('/h264', 'viewer:Wr0ngPassw0rd'), server.url('/h264')]) {
        const lines: string[] = [];
        const client = new RtspClient({ url, log: (l) => lines.push(l), timeoutMs: 5000 });
        let caught: unknown;
        try {
          await client.describe();
        } catch (err) {
          caught = err;
        }
        expect(isMediaError(caught, 'ARGUS_ERR_RTSP_AUTH')).toBe(true);
        const text = `${(caught as Error).message} ${(caught as Error).stack} ${lines.join(' ')}`;
        expect(text).not.toContain('Wr0ngPassw0rd');
      }
    }
  });
});
