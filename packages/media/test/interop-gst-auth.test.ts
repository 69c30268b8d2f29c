// Authenticated recording: GStreamer's RTSP server with Digest (TCP and UDP) and Basic, and our own
// RTSP server (Digest SHA-256) relaying GStreamer's live encoder. Wrong credentials fail with
// ARGUS_ERR_RTSP_AUTH and the password appears nowhere in the error.
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMediaError } from '../src/media-error.js';
import { createRtspServer, type RtspServer } from '../src/rtsp/index.js';
import { openRtspStream, recordToFmp4 } from '../src/stream/index.js';
import { startGstRtspServer, type GstRtspServer } from './peers/gst-rtsp-server.js';
import { relayMount, type RelayMount } from './peers/test-mounts.js';
import { ffmpegDecode, ffprobe } from './mp4-helpers.js';
import {
  FRAMES,
  recordedSlices,
  recordUntilEnd,
  servedMounts,
  servedSlices,
} from './interop-record-helpers.js';

const PASSWORD = 'S3cr3t-pw!';
const dir = mkdtempSync(join(tmpdir(), 'argus-interop-auth-'));
let digest: GstRtspServer;
let basic: GstRtspServer;

beforeAll(async () => {
  [digest, basic] = await Promise.all([
    startGstRtspServer({
      auth: 'digest',
      user: 'alice',
      password: PASSWORD,
      mounts: servedMounts(join(dir)),
    }),
    startGstRtspServer({ auth: 'basic', user: 'bob', password: PASSWORD }),
  ]);
});
afterAll(async () => {
  await Promise.all([digest?.stop(), basic?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('recording with authentication', () => {
  it.each(['tcp', 'udp'] as const)(
    'GStreamer Digest over %s: credentials in options, H.264 + AAC',
    async (transport) => {
      const rec = await recordUntilEnd(digest.url('/rec-av'), dir, `digest-${transport}.mp4`, {
        transport,
        user: 'alice',
        password: PASSWORD,
      });
      expect(rec.result.endReason).toBe('stream-ended');
      expect(rec.stats.lost).toBe(0);
      expect(recordedSlices(rec.path, 1, 'h264')).toEqual(servedSlices(join(dir, 'h264.h264'), 'h264'));
      const probe = ffprobe(rec.path);
      expect(probe.streams.map((s) => s.codec_name)).toEqual(['h264', 'aac']);
      expect(Number(probe.streams[0]!.nb_read_frames)).toBe(FRAMES);
      expect(ffmpegDecode(rec.path)).toEqual({ status: 0, stderr: '' });
    },
  );

  it('GStreamer Basic: credentials in the URL (percent-encoded), live H.264 for an exact 1 s', async () => {
    const url = basic.url('/h264', `bob:${encodeURIComponent(PASSWORD)}`);
    const stream = openRtspStream(url, { transport: 'tcp' });
    const path = join(dir, 'basic.mp4');
    const fd = openSync(path, 'w');
    const recording = recordToFmp4(stream, fd, { maxDurationMs: 1000 });
    try {
      await stream.ready;
      const result = await recording.done;
      expect(result).toMatchObject({ endReason: 'max-duration', durationMs: 1000 });
    } finally {
      await stream.close();
      closeSync(fd);
    }
    expect(ffprobe(path).streams[0]).toMatchObject({
      codec_name: 'h264',
      width: 320,
      height: 240,
      nb_read_frames: '25',
    });
    expect(ffmpegDecode(path)).toEqual({ status: 0, stderr: '' });
  });

  it.each([
    ['a wrong password', { user: 'alice', password: 'wrong-password' }],
    ['no credentials', {}],
  ])('GStreamer Digest refuses %s: ARGUS_ERR_RTSP_AUTH, no secret in the message', async (_name, creds) => {
    const stream = openRtspStream(digest.url('/rec-h264'), { transport: 'tcp', ...creds });
    const err = await stream.ready.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isMediaError(err, 'ARGUS_ERR_RTSP_AUTH')).toBe(true);
    expect(String((err as Error).message)).not.toContain('wrong-password');
    expect(await stream.closed).toBe(err);
  });
});

describe('our RTSP server with Digest SHA-256, relaying GStreamer', () => {
  let server: RtspServer;
  let relay: RelayMount;
  beforeAll(async () => {
    relay = await relayMount(basic.url('/av', `bob:${encodeURIComponent(PASSWORD)}`));
    server = await createRtspServer({
      host: '127.0.0.1',
      port: 0,
      users: { carol: PASSWORD },
      digestAlgorithms: ['SHA-256'],
      resolveMount: (path) => (path === '/relay' ? relay : null),
    });
  });
  afterAll(async () => {
    await server?.close();
    await relay?.client.close();
  });

  it('records 2 s over UDP: 50 pictures and the AAC track, cleanly decodable', async () => {
    const url = `rtsp://127.0.0.1:${server.port}/relay`;
    const stream = openRtspStream(url, { transport: 'udp', user: 'carol', password: PASSWORD });
    const path = join(dir, 'relay.mp4');
    const fd = openSync(path, 'w');
    const recording = recordToFmp4(stream, fd, { maxDurationMs: 2000 });
    try {
      const tracks = await stream.ready;
      expect(tracks.map((t) => [t.encodingName, t.status])).toEqual([
        ['H264', 'active'],
        ['MPEG4-GENERIC', 'active'],
      ]);
      const result = await recording.done;
      expect(result).toMatchObject({ endReason: 'max-duration', durationMs: 2000 });
      expect(stream.stats.lost).toBe(0);
    } finally {
      await stream.close();
      closeSync(fd);
    }
    const probe = ffprobe(path);
    expect(probe.streams[0]).toMatchObject({ codec_name: 'h264', nb_read_frames: String(FRAMES) });
    expect(probe.streams[1]).toMatchObject({ codec_name: 'aac' });
    expect(ffmpegDecode(path)).toEqual({ status: 0, stderr: '' });
  });
});
