// openRtspStream + recordToFmp4 against GStreamer's RTSP server (an independent peer), TCP and UDP:
// each mount serves a known number of frames and tees the exact encoded stream into a file. The
// recording must hold every served picture/AAC frame byte for byte, ffprobe must count the same
// frames and a duration within one frame, and ffmpeg must decode it without a single error.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGstRtspServer, type GstRtspServer } from './peers/gst-rtsp-server.js';
import { ffmpegDecode, ffprobe } from './mp4-helpers.js';
import {
  AAC_FRAMES,
  FRAMES,
  recordedAudioFrames,
  recordedSlices,
  recordUntilEnd,
  servedAacFrames,
  servedMounts,
  servedSlices,
} from './interop-record-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'argus-interop-rec-'));
let gst: GstRtspServer;

beforeAll(async () => {
  gst = await startGstRtspServer({ mounts: servedMounts(dir) });
});
afterAll(async () => {
  await gst?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const FRAME_S = 1 / 25;

/** First presentation time and end of presentation (pts + duration) of a stream, from its packets. */
function presentationSpan(path: string, stream: string): [number, number] {
  const r = spawnSync(
    'ffprobe',
    [
      '-v',
      'error',
      '-select_streams',
      stream,
      '-show_entries',
      'packet=pts_time,duration_time',
      '-of',
      'json',
      path,
    ],
    { encoding: 'utf8' },
  );
  const packets = (JSON.parse(r.stdout) as { packets: Array<{ pts_time: string; duration_time: string }> })
    .packets;
  const starts = packets.map((q) => Number(q.pts_time));
  // ffmpeg reports no duration for the first AAC packet (priming): skip unknown durations.
  const ends = packets.map((q) => Number(q.pts_time) + Number(q.duration_time)).filter(Number.isFinite);
  return [Math.min(...starts), Math.max(...ends)];
}

describe.each(['tcp', 'udp'] as const)('recording from GStreamer over %s', (transport) => {
  it.each(['h264', 'h265'] as const)(
    '%s with B-frames: every served picture, exact count and duration',
    async (codec) => {
      const rec = await recordUntilEnd(gst.url(`/rec-${codec}`), dir, `${codec}-${transport}.mp4`, {
        transport,
      });
      expect(rec.closeError).toBeUndefined(); // ended by RTCP BYE, not by a timeout
      expect(rec.result).toMatchObject({ endReason: 'stream-ended', started: true });
      expect(rec.stats.lost).toBe(0);
      expect(rec.trackStats[0]).toMatchObject({
        droppedAccessUnits: 0,
        skippedAccessUnits: 0,
        dtsAdjustments: 0,
      });
      const track = rec.tracks[0]!.pipeline!;
      expect(track.info).toMatchObject({ kind: 'video', codec, width: 320, height: 240 });
      expect(track.info.codecString).toMatch(codec === 'h264' ? /^avc1\.4D/ : /^hvc1\.1\./);

      const served = servedSlices(join(dir, `${codec}.${codec}`), codec);
      expect(served.length).toBeGreaterThanOrEqual(FRAMES);
      expect(recordedSlices(rec.path, 1, codec)).toEqual(served);

      const probe = ffprobe(rec.path);
      const v = probe.streams[0]!;
      expect(v).toMatchObject({ codec_name: codec === 'h264' ? 'h264' : 'hevc', width: 320, height: 240 });
      expect(Number(v.nb_read_frames)).toBe(FRAMES);
      expect(Math.abs(Number(v.duration) - FRAMES * FRAME_S)).toBeLessThanOrEqual(FRAME_S);
      expect(ffmpegDecode(rec.path)).toEqual({ status: 0, stderr: '' });
    },
  );

  it('AAC: every served frame, in order, duration within one frame', async () => {
    const rec = await recordUntilEnd(gst.url('/rec-aac'), dir, `aac-${transport}.mp4`, { transport });
    expect(rec.result.endReason).toBe('stream-ended');
    expect(rec.stats.lost).toBe(0);
    expect(rec.tracks[0]!.pipeline!.info).toMatchObject({
      codec: 'aac',
      codecString: 'mp4a.40.2',
      sampleRate: 48000,
      channels: 1,
    });
    const served = servedAacFrames(join(dir, 'aac.adts'));
    expect(served).toHaveLength(AAC_FRAMES);
    expect(recordedAudioFrames(rec.path, 1)).toEqual(served);
    const a = ffprobe(rec.path).streams[0]!;
    expect(a).toMatchObject({ codec_name: 'aac', nb_read_frames: String(AAC_FRAMES) });
    expect(Math.abs(Number(a.duration) - (AAC_FRAMES * 1024) / 48000)).toBeLessThanOrEqual(1024 / 48000);
    expect(ffmpegDecode(rec.path)).toEqual({ status: 0, stderr: '' });
  });

  it('H.264 + AAC in one session: all pictures, audio from the video start to the end, in sync', async () => {
    const rec = await recordUntilEnd(gst.url('/rec-av'), dir, `av-${transport}.mp4`, { transport });
    expect(rec.result.endReason).toBe('stream-ended');
    expect(rec.stats.lost).toBe(0);
    expect(recordedSlices(rec.path, 1, 'h264')).toEqual(servedSlices(join(dir, 'h264.h264'), 'h264'));
    // Audio joins at the first picture's wall time: a run of served frames ending with the last one.
    const served = servedAacFrames(join(dir, 'aac.adts'));
    const audio = recordedAudioFrames(rec.path, 2);
    const skipped = served.length - audio.length;
    expect(skipped).toBeGreaterThanOrEqual(0);
    expect(skipped).toBeLessThanOrEqual(Math.ceil((0.5 * 48000) / 1024)); // encoder start-up, < 0.5 s
    expect(audio).toEqual(served.slice(skipped));
    const probe = ffprobe(rec.path);
    const v = probe.streams.find((s) => s.codec_type === 'video')!;
    const a = probe.streams.find((s) => s.codec_type === 'audio')!;
    expect(Number(v.nb_read_frames)).toBe(FRAMES);
    expect(Number(a.nb_read_frames)).toBe(audio.length);
    // Same source length: both tracks start and end together (within one audio frame + one picture).
    const [vStart, vEnd] = presentationSpan(rec.path, 'v:0');
    const [aStart, aEnd] = presentationSpan(rec.path, 'a:0');
    expect(Math.abs(aStart + (skipped * 1024) / 48000 - vStart)).toBeLessThanOrEqual(1024 / 48000 + FRAME_S);
    expect(Math.abs(aEnd - vEnd)).toBeLessThanOrEqual(1024 / 48000 + FRAME_S);
    expect(ffmpegDecode(rec.path)).toEqual({ status: 0, stderr: '' });
  });
});
