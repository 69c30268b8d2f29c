// Progressive (download) MP4: an edit list trims a file that starts at a keyframe to an exact
// start time (judged by ffprobe), byte ranges equal slices of the whole file, and our reader reads
// back exactly the samples written.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgressiveMp4, readMp4, type Mp4ReadResult } from '@argus/media';
import {
  sameBytes,
  collect,
  ffmpegDecode,
  ffprobe,
  makeSource,
  mp4boxParse,
  progressiveInput,
  writeProgressive,
} from './mp4-helpers.js';

let dir = '';
let src: Mp4ReadResult;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'argus-mp4-prog-'));
  src = readMp4(readFileSync(makeSource('h264', false, join(dir, 'src.mp4'), { gop: 25 })));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('edit list', () => {
  it('starts at the keyframe before T and trims exactly to T = keyframe + 0.4 s', async () => {
    const tracks = progressiveInput(src);
    const video = tracks[0]!;
    const keyframes = video.samples.filter((s) => s.isKey);
    const kf = keyframes[1]!;
    const ts = video.track.timescale!;
    expect(kf.ptsTicks / ts).toBeCloseTo(1.0, 6);
    const t = kf.ptsTicks / ts + 0.4;
    const trimmed = tracks.map((tr) => {
      const tscale = tr.track.timescale!;
      const samples =
        tr === video
          ? tr.samples.filter((s) => s.dtsTicks >= kf.dtsTicks)
          : tr.samples.filter((s) => (s.ptsTicks + s.durationTicks) / tscale > t - 0.1);
      return { ...tr, samples };
    });
    const bytes = await writeProgressive({ tracks: trimmed, startTime90k: Math.round(t * 90_000) });
    const out = join(dir, 'trimmed.mp4');
    writeFileSync(out, bytes);
    expect(ffmpegDecode(out)).toEqual({ status: 0, stderr: '' });
    const p = ffprobe(out);
    const v = p.streams.find((s) => s.codec_type === 'video')!;
    // 2.0 s source, presentation from 1.4 s: 0.6 s, i.e. the 15 frames at 1.40 … 1.96 s.
    expect(Number(v.nb_read_frames)).toBe(15);
    expect(Number(v.duration)).toBeCloseTo(0.6, 2);
    expect(Math.abs(Number(v.start_time))).toBeLessThanOrEqual(1 / 25);
    expect(Math.abs(Number(p.format.duration) - 0.6)).toBeLessThanOrEqual(1 / 25);

    const m = mp4boxParse(bytes);
    expect(m.problems).toEqual([]);
    const elst = (
      m.file.moov.traks[0] as unknown as { edts: { elst: { entries: Array<Record<string, number>> } } }
    ).edts.elst.entries;
    expect(elst).toHaveLength(1);
    expect(elst[0]!.segment_duration).toBe(600);
    // media_time: T on the composition timeline of a track whose first dts is 0.
    expect(elst[0]!.media_time).toBe(Math.round(t * ts) - kf.dtsTicks);
  });

  it('puts an empty edit before a track that starts after T', async () => {
    const tracks = progressiveInput(src);
    const late = tracks.map((tr) =>
      tr.track.config.codec === 'aac'
        ? { ...tr, samples: tr.samples.filter((s) => s.ptsTicks >= 0.5 * tr.track.timescale!) }
        : tr,
    );
    const file = buildProgressiveMp4({ tracks: late, startTime90k: 0 });
    const back = readMp4(await collect(file.chunks((s) => s.source)));
    const audio = back.tracks.find((t) => t.trackId === 2)!;
    const firstAudioMs = (late[1]!.samples[0]!.ptsTicks / 48_000) * 1000;
    expect(firstAudioMs).toBeGreaterThanOrEqual(500);
    expect(audio.editList[0]).toEqual({ segmentDuration: Math.round(firstAudioMs), mediaTime: -1 });
    expect(audio.editList[1]?.mediaTime).toBe(0);
  });
});

describe('layout', () => {
  it('reads back the samples written, with moov before mdat and the size known in advance', async () => {
    const file = buildProgressiveMp4({ tracks: progressiveInput(src) });
    const bytes = await collect(file.chunks((s) => s.source));
    expect(bytes.length).toBe(file.totalSizeBytes);
    expect(String.fromCharCode(...bytes.subarray(file.header.length - 4, file.header.length))).toBe('mdat');
    const back = readMp4(bytes);
    expect(back.tracks.map((t) => t.config?.codec)).toEqual(['h264', 'aac']);
    for (const id of [1, 2]) {
      const a = src.samples.filter((s) => s.trackId === id);
      const b = back.samples.filter((s) => s.trackId === id);
      expect(b.length).toBe(a.length);
      b.forEach((s, i) => {
        const o = a[i]!;
        expect(sameBytes(s.data, o.data)).toBe(true);
        expect([s.isKey, s.durationTicks, s.ptsTicks - s.dtsTicks]).toEqual([
          o.isKey,
          o.durationTicks,
          o.ptsTicks - o.dtsTicks,
        ]);
      });
    }
  });

  it('serves any byte range equal to the same slice of the whole file, reading only what it needs', async () => {
    const file = buildProgressiveMp4({ tracks: progressiveInput(src) });
    const whole = await collect(file.chunks((s) => s.source));
    await fc.assert(
      fc.asyncProperty(fc.nat(whole.length), fc.nat(40_000), async (start, len) => {
        let reads = 0;
        const part = await collect(file.range(start, start + len, (s) => (reads++, s.source)));
        expect(part).toEqual(whole.subarray(start, Math.min(whole.length, start + len)));
        expect(reads).toBeLessThanOrEqual(file.placements.length);
        if (start + len <= file.header.length) expect(reads).toBe(0);
      }),
      { seed: 42, numRuns: 60 },
    );
  });

  it('switches to co64 and a 64-bit mdat past 4 GiB, without reading any sample to lay it out', () => {
    const config = src.tracks[0]!.config!;
    const GiB = 2 ** 30;
    const samples = [0, 1, 2, 3, 4].map((i) => ({
      dtsTicks: i * 3600,
      ptsTicks: i * 3600,
      durationTicks: 3600,
      isKey: i === 0,
      sizeBytes: i === 4 ? 7 : GiB,
      source: i,
    }));
    const file = buildProgressiveMp4({
      tracks: [{ track: { trackId: 1, config }, samples }],
      chunkDurationMs: 40,
    });
    expect(file.totalSizeBytes).toBe(file.header.length + 4 * GiB + 7);
    const header = Buffer.from(file.header);
    expect(header.includes('co64')).toBe(true);
    expect(header.includes('stco')).toBe(false);
    const mdatAt = header.length - 16;
    expect([header.readUInt32BE(mdatAt), header.toString('latin1', mdatAt + 4, mdatAt + 8)]).toEqual([
      1,
      'mdat',
    ]);
    expect(Number(header.readBigUInt64BE(mdatAt + 8))).toBe(4 * GiB + 7 + 16);
    expect(file.placements.map((p) => p.fileOffset)).toEqual(
      [0, 1, 2, 3, 4].map((i) => header.length + i * GiB),
    );
    // Our reader sees the tables and reports the missing media data as a torn tail.
    const r = readMp4(file.header);
    expect(r.tracks[0]!.config?.codec).toBe('h264');
    expect(r.samples).toEqual([]);
    expect(r.tornTailAtByte).toBe(mdatAt);
  });

  it('rejects a source that returns the wrong number of bytes', async () => {
    const file = buildProgressiveMp4({ tracks: progressiveInput(src) });
    await expect(collect(file.chunks((s) => s.source.subarray(1)))).rejects.toMatchObject({
      code: 'ARGUS_ERR_MP4_BAD_SAMPLES',
    });
  });
});
