// MediaTrackPipeline + Fmp4RecordingWriter on GStreamer RTP captures (no network): the recorded
// fMP4 is judged by ffprobe/ffmpeg. Covers B-frames (x265 decode order, derived DTS), audio joining
// video at the same wall time, packet loss, long-GOP splitting, exact maxDurationMs and SPS changes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createPacketizer, splitAnnexB } from '../src/codec/index.js';
import { readMp4 } from '../src/mp4/index.js';
import {
  Fmp4RecordingWriter,
  MediaTrackPipeline,
  type Fmp4Sink,
  type StreamAccessUnit,
  type TrackPipelineOptions,
} from '../src/stream/index.js';
import { ffmpegDecode, ffprobe } from './mp4-helpers.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/codec/${name}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'argus-stream-rec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function readRfc4571(name: string): Uint8Array[] {
  const bytes = readFileSync(fixture(name));
  const out: Uint8Array[] = [];
  for (let i = 0; i + 2 <= bytes.length;) {
    const len = bytes.readUInt16BE(i);
    out.push(new Uint8Array(bytes.subarray(i + 2, i + 2 + len)));
    i += 2 + len;
  }
  return out;
}

function memorySink(): Fmp4Sink & { bytes(): Buffer; syncs: number } {
  const chunks: Uint8Array[] = [];
  const sink = {
    syncs: 0,
    write: async (b: Uint8Array) => void chunks.push(b),
    sync: async () => void sink.syncs++,
    bytes: () => Buffer.concat(chunks),
  };
  return sink;
}

type Track = TrackPipelineOptions['track'];
const H264: Track = { mediaType: 'video', encodingName: 'H264', clockRate: 90000, fmtp: {} };
const H265: Track = { mediaType: 'video', encodingName: 'H265', clockRate: 90000, fmtp: {} };
const AAC_CONFIG = readFileSync(fixture('gst-aac.config'), 'utf8').trim();
const AAC: Track = {
  mediaType: 'audio',
  encodingName: 'MPEG4-GENERIC',
  clockRate: 48000,
  channels: 2,
  fmtp: { mode: 'AAC-hbr', sizelength: '13', indexlength: '3', indexdeltalength: '3', config: AAC_CONFIG },
};

function pipeline(track: Track, trackIndex: number, units: StreamAccessUnit[]): MediaTrackPipeline {
  return new MediaTrackPipeline({ trackIndex, track, onAccessUnit: (u) => units.push(u) });
}

function save(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

function probePackets(path: string, stream = 'v:0'): Array<{ pts: number; dts: number; flags: string }> {
  const r = spawnSync(
    'ffprobe',
    ['-v', 'error', '-select_streams', stream, '-show_entries', 'packet=pts,dts,flags', '-of', 'json', path],
    { encoding: 'utf8' },
  );
  return (JSON.parse(r.stdout) as { packets: Array<{ pts: number; dts: number; flags: string }> }).packets;
}

async function record(units: StreamAccessUnit[], pipelines: MediaTrackPipeline[], options = {}) {
  const sink = memorySink();
  const writer = new Fmp4RecordingWriter(
    pipelines.map((p) => ({ trackIndex: p.trackIndex, config: p.config!, timescale: p.timescale })),
    sink,
    options,
  );
  for (const u of units) writer.push(u);
  const summary = await writer.finish();
  return { summary, bytes: sink.bytes(), syncs: sink.syncs, writer };
}

describe('recording RTP captures to fragmented MP4', () => {
  it('x265 with B-frames: decode order kept, PTS exact, DTS increasing, ffmpeg decodes cleanly', async () => {
    const units: StreamAccessUnit[] = [];
    const p = pipeline(H265, 0, units);
    readRfc4571('gst-h265.rtp4571').forEach((d, i) => p.pushRtp(d, 1000 + i));
    p.end(2000);
    expect(units).toHaveLength(12);
    expect(p.info).toMatchObject({ kind: 'video', codec: 'h265', width: 160, height: 120 });
    expect(p.info.codecString).toMatch(/^hvc1\./);
    const ptsList = units.map((u) => (u.accessUnit.kind === 'video' ? u.accessUnit.pts90k : 0));
    expect(ptsList.some((v, i) => i > 0 && v < ptsList[i - 1]!)).toBe(true); // really reordered
    const { summary, bytes } = await record(units, [p]);
    expect(p.stats.dtsAdjustments).toBe(0);
    const path = save('h265-bframes.mp4', bytes);
    const probe = ffprobe(path);
    expect(probe.streams[0]).toMatchObject({
      codec_name: 'hevc',
      width: 160,
      height: 120,
      nb_read_frames: '12',
    });
    expect(ffmpegDecode(path)).toEqual({ status: 0, stderr: '' });
    const packets = probePackets(path);
    const origin = units[0]!.accessUnit.kind === 'video' ? units[0]!.accessUnit.dts90k! : 0;
    expect(packets.map((q) => q.pts)).toEqual(ptsList.map((v) => v - origin));
    for (let i = 1; i < packets.length; i++) expect(packets[i]!.dts).toBeGreaterThan(packets[i - 1]!.dts);
    for (const q of packets) expect(q.dts).toBeLessThanOrEqual(q.pts);
    expect(summary.tracks[0]).toMatchObject({ samples: 12, durationTicks: 12 * 3600 });
  });

  it('H.264 + AAC: audio joins at the video start wall time; both tracks whole', async () => {
    const units: StreamAccessUnit[] = [];
    const video = pipeline(H264, 0, units);
    const audio = pipeline(AAC, 1, units);
    // Both captures start at the same wall time (0.48 s of video, 10 AAC frames = 0.213 s).
    readRfc4571('gst-h264.rtp4571').forEach((d) => video.pushRtp(d, 5000));
    readRfc4571('gst-aac.rtp4571').forEach((d) => audio.pushRtp(d, 5000));
    video.end(6000);
    audio.end(6000);
    expect(audio.info).toMatchObject({
      kind: 'audio',
      codec: 'aac',
      codecString: 'mp4a.40.2',
      sampleRate: 48000,
    });
    const ordered = [...units].sort((a, b) => a.wallTimeMs - b.wallTimeMs);
    const { bytes, summary } = await record(ordered, [video, audio]);
    const path = save('h264-aac.mp4', bytes);
    const probe = ffprobe(path);
    const v = probe.streams.find((s) => s.codec_type === 'video')!;
    const a = probe.streams.find((s) => s.codec_type === 'audio')!;
    expect(v).toMatchObject({ codec_name: 'h264', width: 160, height: 120, nb_read_frames: '12' });
    expect(a).toMatchObject({ codec_name: 'aac', nb_read_frames: String(summary.tracks[1]!.samples) });
    expect(summary.tracks[1]!.samples).toBe(units.filter((u) => u.trackIndex === 1).length);
    expect(ffmpegDecode(path)).toEqual({ status: 0, stderr: '' });
    expect(probePackets(path, 'a:0')[0]!.pts).toBe(0);
  });

  it('a lost packet drops its picture, resumes at the next key picture, and the file stays clean', async () => {
    const units: StreamAccessUnit[] = [];
    const p = pipeline(H264, 0, units);
    const packets = readRfc4571('gst-h264.rtp4571');
    // Drop the first packet whose picture is the 3rd one (non-key).
    const timestamps = [...new Set(packets.map((d) => Buffer.from(d).readUInt32BE(4)))];
    const victim = packets.findIndex((d) => Buffer.from(d).readUInt32BE(4) === timestamps[2]);
    packets.forEach((d, i) => i !== victim && p.pushRtp(d, 1000));
    p.end(2000);
    expect(p.stats.lost).toBe(1);
    expect(p.stats.droppedAccessUnits).toBe(1);
    expect(p.stats.skippedAccessUnits).toBe(2); // pictures 4 and 5 reference the lost one
    expect(units).toHaveLength(9);
    const { bytes } = await record(units, [p]);
    const path = save('loss.mp4', bytes);
    expect(ffprobe(path).streams[0]!.nb_read_frames).toBe('9');
    expect(ffmpegDecode(path)).toEqual({ status: 0, stderr: '' });
  });

  it('splits long GOPs at fragmentDurationMs, starts fragments at keys otherwise, prft carries wall time', async () => {
    const units: StreamAccessUnit[] = [];
    const p = pipeline(H264, 0, units);
    readRfc4571('gst-h264.rtp4571').forEach((d) => p.pushRtp(d, 1_700_000_000_000));
    p.end(0);
    const { bytes, summary } = await record(units, [p], { fragmentDurationMs: 100, fsync: 'fragment' });
    const file = readMp4(new Uint8Array(bytes));
    expect(file.tornTailAtByte).toBeUndefined();
    // Keys every 5 pictures (200 ms) and 100 ms fragments: 3 pictures at most per fragment.
    const counts = file.fragments.map((f) => f.samples.length);
    expect(file.fragments.map((f) => f.samples[0]!.isKey)).toContain(false);
    expect(summary.fragments).toBe(counts.length);
    expect(Math.max(...counts)).toBeLessThanOrEqual(3);
    expect(counts.reduce((x, y) => x + y, 0)).toBe(12);
    const prft = file.fragments[0]!.producerReferenceTime!;
    expect(prft.unixMs).toBeCloseTo(1_700_000_000_000, -1);
    expect(ffmpegDecode(save('split.mp4', bytes))).toEqual({ status: 0, stderr: '' });
  });

  it('maxDurationMs gives an exact-length file and marks the writer full', async () => {
    const units: StreamAccessUnit[] = [];
    const p = pipeline(H264, 0, units);
    readRfc4571('gst-h264.rtp4571').forEach((d) => p.pushRtp(d, 1000));
    p.end(0);
    const { summary, writer } = await record(units, [p], { maxDurationMs: 200 });
    expect(writer.isFull).toBe(true);
    expect(summary).toMatchObject({ durationMs: 200, skippedUnits: 7 });
    expect(summary.tracks[0]!.samples).toBe(5);
  });

  it('reports a parameter-set change and builds the new configuration', () => {
    const units: StreamAccessUnit[] = [];
    const changes: boolean[] = [];
    const p = new MediaTrackPipeline({
      trackIndex: 0,
      track: H264,
      onAccessUnit: (u) => units.push(u),
      onConfig: (_p, changed) => changes.push(changed),
    });
    let seq = 0;
    let ts = 0;
    for (const name of ['gst-h264.h264', 'h264-high-320x240.h264']) {
      const packetizer = createPacketizer('h264', { ssrc: 7, payloadType: 96, initialSequenceNumber: seq });
      // Split the Annex B stream into pictures: a new one starts at each slice with first_mb 0 (byte >= 0x80).
      const nalus = splitAnnexB(new Uint8Array(readFileSync(fixture(name))));
      const pictures: Uint8Array[][] = [];
      let cur: Uint8Array[] = [];
      for (const n of nalus) {
        cur.push(n);
        const type = n[0]! & 0x1f;
        if ((type === 1 || type === 5) && (n[1]! & 0x80) !== 0) {
          pictures.push(cur);
          cur = [];
        }
      }
      for (const nalus of pictures) {
        ts += 3600;
        const isKey = nalus.some((n) => (n[0]! & 0x1f) === 5);
        for (const d of packetizer.packetize({ kind: 'video', codec: 'h264', pts90k: ts, isKey, nalus }))
          p.pushRtp(d, 0);
      }
      seq = packetizer.nextSequenceNumber;
    }
    p.end(0);
    expect(changes).toEqual([false, true]);
    expect(p.stats.configChanges).toBe(1);
    expect(p.info).toMatchObject({ width: 320, height: 240, codecString: 'avc1.64000D' });
    expect(units[0]!.info).toMatchObject({ width: 160, height: 120 });
    const times = units.map((u) => (u.accessUnit.kind === 'video' ? u.accessUnit : undefined)!);
    expect(times).toHaveLength(22);
    for (let i = 1; i < times.length; i++) expect(times[i]!.dts90k).toBe(times[i]!.pts90k);
  });
});
