// Interop: RtspClient over TCP interleaved against GStreamer's RTSP server (gst-rtsp-server 1.22):
// SDP tracks and codecs, RTP on every track in sequence, keep-alive inside a 2 s session timeout,
// and TEARDOWN seen by the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtspClient, getH265ParameterSets, sdpTrackCodec } from '@argus/media';
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

describe('RtspClient (TCP) against GStreamer', () => {
  it('plays H.264 + AAC, keeps the session alive and tears it down', async () => {
    const log = new PacketLog();
    const closes: Array<MediaError | undefined> = [];
    const client = new RtspClient({
      url: gst.url('/av'),
      transport: 'tcp',
      onPacket: log.add,
      timeoutMs: 5000,
    });
    client.on('close', (err) => closes.push(err));
    const sdp = await client.describe();
    expect(sdp.tracks.map(sdpTrackCodec)).toEqual(['h264', 'aac']);
    expect(client.tracks[1]).toMatchObject({ clockRate: 48000, channels: 1 });
    const play = await client.play();
    expect(play.sessionTimeoutSec).toBe(2);
    expect(play.keepAliveMethod).toBe('GET_PARAMETER');
    expect(play.tracks.map((t) => t.transport.interleaved)).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(play.tracks[0]!.url).toBe(`${gst.url('/av')}/stream=0`);
    expect(play.rtpInfo.map((r) => r.trackIndex)).toEqual([0, 1]);
    expect(play.rtpInfo[0]!.seq).toBeTypeOf('number');
    // Past the 2 s session timeout: keep-alives (every 1 s) answered and data still flowing.
    await waitUntil(
      () => client.stats.keepAliveReplies >= 2 && log.count(1) > 20,
      8000,
      'keep-alives and audio',
    );
    const before = log.count(0);
    await waitUntil(() => log.count(0) > before + 10, 3000, 'more video after keep-alives');
    await gst.waitForEvent(/^get_parameter \/av/);
    for (const track of [0, 1]) {
      expect(log.count(track)).toBeGreaterThan(10);
      expect(new Set(log.steps(track))).toEqual(new Set([1])); // TCP: every packet, in order
    }
    expect([...log.payloadTypes.get(0)!]).toEqual([96]);
    expect([...log.payloadTypes.get(1)!]).toEqual([97]);
    await client.close();
    await gst.waitForEvent(/^teardown \/av/);
    expect(closes).toEqual([undefined]);
    const after = log.count(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(log.count(0)).toBe(after);
  });

  it('plays H.265 with parameter sets from the SDP', async () => {
    const log = new PacketLog();
    const client = new RtspClient({ url: gst.url('/h265'), onPacket: log.add });
    await client.play();
    const track = client.tracks[0]!;
    expect(sdpTrackCodec(track)).toBe('h265');
    expect(getH265ParameterSets(track)!.sps).toHaveLength(1);
    await waitUntil(() => log.count(0) > 30, 8000, 'H.265 packets');
    expect(new Set(log.steps(0))).toEqual(new Set([1]));
    await client.close();
  });

  it('plays only the selected track', async () => {
    const log = new PacketLog();
    const client = new RtspClient({ url: gst.url('/av'), onPacket: log.add });
    await client.describe();
    const play = await client.play({ trackIndices: [1] });
    expect(play.tracks.map((t) => t.trackIndex)).toEqual([1]);
    await waitUntil(() => log.count(1) > 10, 8000, 'audio packets');
    expect(log.count(0)).toBe(0);
    await client.close();
  });

  it('fails with ARGUS_ERR_RTSP_STATUS (404) for an unknown mount', async () => {
    const client = new RtspClient({ url: gst.url('/nope') });
    await expect(client.describe()).rejects.toMatchObject({ code: 'ARGUS_ERR_RTSP_STATUS', statusCode: 404 });
  });
});
