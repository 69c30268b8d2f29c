// Interop: RtspClient over UDP unicast against GStreamer's RTSP server: client_port pairs on
// 127.0.0.1, RTP on every track, receiver reports sent, keep-alives holding a 2 s session open.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtspClient, sdpTrackCodec } from '@argus/media';
import type { MediaError } from '@argus/media';
import { type GstRtspServer, startGstRtspServer } from './peers/gst-rtsp-server.js';
import { PacketLog, waitUntil } from './peers/rtp-checks.js';

let gst: GstRtspServer;

beforeAll(async () => {
  gst = await startGstRtspServer({ sessionTimeoutSec: 2 });
});

afterAll(async () => {
  await gst?.stop();
});

describe('RtspClient (UDP) against GStreamer', () => {
  it('plays H.264 + AAC over UDP past the session timeout, then tears down', async () => {
    const log = new PacketLog();
    const closes: Array<MediaError | undefined> = [];
    const client = new RtspClient({
      url: gst.url('/av'),
      transport: 'udp',
      onPacket: log.add,
      rtcpIntervalMs: 500,
    });
    client.on('close', (err) => closes.push(err));
    const play = await client.play();
    expect(client.tracks.map(sdpTrackCodec)).toEqual(['h264', 'aac']);
    for (const setup of play.tracks) {
      const transport = setup.transport;
      expect(transport.lowerTransport).toBe('UDP');
      expect(transport.clientPort![0] % 2).toBe(0);
      expect(transport.clientPort![1]).toBe(transport.clientPort![0] + 1);
      expect(transport.serverPort).toHaveLength(2);
    }
    await waitUntil(
      () => client.stats.keepAliveReplies >= 3 && client.stats.receiverReportsSent >= 4,
      8000,
      'keep-alives',
    );
    const before = log.count(0);
    await waitUntil(() => log.count(0) > before + 10 && log.count(1) > 20, 3000, 'RTP after 3 s');
    for (const track of [0, 1]) {
      const steps = log.steps(track);
      // Loopback UDP keeps order; allow a rare drop but never a step backwards.
      expect(steps.every((s) => s >= 1 && s < 100)).toBe(true);
      expect(steps.filter((s) => s === 1).length / steps.length).toBeGreaterThan(0.95);
    }
    expect(client.stats.packetsRejected).toBe(0);
    await client.close();
    await gst.waitForEvent(/^teardown \/av/);
    expect(closes).toEqual([undefined]);
  });

  it('plays H.264 only over UDP and stops on abort', async () => {
    const log = new PacketLog();
    const abort = new AbortController();
    const client = new RtspClient({
      url: gst.url('/h264'),
      transport: 'udp',
      onPacket: log.add,
      signal: abort.signal,
    });
    const closed = new Promise<MediaError | undefined>((resolve) => client.once('close', resolve));
    await client.play();
    await waitUntil(() => log.count(0) > 20, 8000, 'video packets');
    abort.abort();
    expect((await closed)?.code).toBe('ARGUS_ERR_RTSP_ABORTED');
    const after = log.count(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(log.count(0)).toBe(after);
  });
});
