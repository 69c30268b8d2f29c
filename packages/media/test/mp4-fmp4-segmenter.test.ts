// The recorder-facing fMP4 writer: durations from the next sample's dts (the newest sample is held
// back), stated final durations, composition offsets, decode-time origin, prft wall clock, several
// tracks per fragment, G.711 entries, and typed errors for bad input. Output is read back by our
// reader and mp4box.js, and the G.711 file is judged by ffprobe/ffmpeg.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  Fmp4Segmenter,
  isMediaError,
  ntp64ToUnixMs,
  readMp4,
  unixMsToNtp64,
  writeFmp4Init,
  writeMediaFragment,
  type H264TrackConfig,
  type Mp4TrackSpec,
} from '@argus/media';
import { ffmpegDecode, ffprobe, mp4boxParse, splitNalus } from './mp4-helpers.js';

const source = readMp4(
  new Uint8Array(readFileSync(fileURLToPath(new URL('./fixtures/mp4/h264-aac-frag.mp4', import.meta.url)))),
);
const h264 = source.tracks[0]!.config as H264TrackConfig;
const VIDEO: Mp4TrackSpec = { trackId: 1, config: h264 };
const nal = (n: number): Uint8Array[] => [Uint8Array.of(0x65, n & 0xff, 1, 2), Uint8Array.of(0x06, 5)];
const dir = mkdtempSync(join(tmpdir(), 'argus-mp4-seg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    return isMediaError(err) ? err.code : `not a MediaError: ${String(err)}`;
  }
  return 'no error';
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let p = 0;
  for (const part of parts) {
    out.set(part, p);
    p += part.length;
  }
  return out;
}

describe('Fmp4Segmenter', () => {
  it('holds the newest sample until its successor arrives or its duration is stated', () => {
    const seg = new Fmp4Segmenter({ tracks: [VIDEO] });
    const parts = [writeFmp4Init({ tracks: [VIDEO] })];
    expect(seg.flush()).toBeNull();
    for (let i = 0; i < 3; i++)
      seg.push(1, { dtsTicks: i * 3600, ptsTicks: i * 3600, isKey: i === 0, nalus: nal(i) });
    expect(seg.queuedDurationTicks(1)).toBe(7200);
    const f1 = seg.flush()!;
    expect(f1.sequenceNumber).toBe(1);
    expect(f1.tracks).toEqual([
      { trackId: 1, baseDecodeTimeTicks: 0, durationTicks: 7200, sampleCount: 2, startsWithKey: true },
    ]);
    expect(seg.queuedSampleCount(1)).toBe(1);
    expect(seg.flush()).toBeNull();
    const f2 = seg.flush({ lastDurations: 'repeat-previous' })!;
    expect(f2.tracks[0]).toMatchObject({
      baseDecodeTimeTicks: 7200,
      durationTicks: 3600,
      startsWithKey: false,
    });
    seg.push(1, { dtsTicks: 10_800, ptsTicks: 10_800, isKey: false, nalus: nal(3) });
    const f3 = seg.flush({ lastDurations: new Map([[1, 1234]]) })!;
    expect(seg.nextSequenceNumber).toBe(4);
    parts.push(f1.bytes, f2.bytes, f3.bytes);

    const r = readMp4(concat(parts));
    expect(r.tornTailAtByte).toBeUndefined();
    expect(r.samples.map((s) => [s.dtsTicks, s.durationTicks, s.isKey])).toEqual([
      [0, 3600, true],
      [3600, 3600, false],
      [7200, 3600, false],
      [10_800, 1234, false],
    ]);
    // NAL units come back 4-byte length-prefixed, in order.
    expect(splitNalus(r.samples[2]!.data).map((n) => Array.from(n))).toEqual(
      nal(2).map((n) => Array.from(n)),
    );
  });

  it('writes composition offsets, signed (trun v1) only when needed, that read back as pts', () => {
    for (const [offsets, version] of [
      [[7200, 0, 3600], 0],
      [[0, -3600, 3600], 1],
    ] as const) {
      const seg = new Fmp4Segmenter({ tracks: [VIDEO] });
      offsets.forEach((o, i) =>
        seg.push(1, { dtsTicks: i * 3600, ptsTicks: i * 3600 + o, isKey: i === 0, nalus: nal(i) }),
      );
      const bytes = concat([
        writeFmp4Init({ tracks: [VIDEO] }),
        seg.flush({ lastDurations: 'repeat-previous' })!.bytes,
      ]);
      expect(readMp4(bytes).samples.map((s) => s.ptsTicks - s.dtsTicks)).toEqual([...offsets]);
      const m = mp4boxParse(bytes);
      expect(m.problems).toEqual([]);
      const trun = m.file.moofs[0]!.trafs[0]!.truns[0]!;
      expect(trun.version).toBe(version);
      expect(trun.flags & 0x800).toBe(0x800);
      expect(trun.sample_flags).toEqual([0x02000000, 0x01010000, 0x01010000]);
    }
  });

  it('rebases tfdt on the decode-time origin and writes prft wall clock for it', () => {
    const audio: Mp4TrackSpec = { trackId: 2, config: { codec: 'pcmu', sampleRate: 8000, channels: 1 } };
    const seg = new Fmp4Segmenter({
      tracks: [VIDEO, audio],
      decodeTimeOriginTicks: new Map([
        [1, 900_000],
        [2, 80_000],
      ]),
      firstSequenceNumber: 41,
    });
    for (let i = 0; i < 5; i++) {
      seg.push(1, {
        dtsTicks: 900_000 + i * 3600,
        ptsTicks: 900_000 + i * 3600,
        isKey: i === 0,
        nalus: nal(i),
      });
      seg.pushAccessUnit(2, {
        kind: 'audio',
        codec: 'pcmu',
        ptsTicks: ((80_000 + i * 320) * 90_000) / 8000,
        clockRate: 90_000,
        data: new Uint8Array(320),
      });
    }
    const wallMs = Date.UTC(2025, 5, 1, 12, 0, 0, 250);
    const f = seg.flush({ wallClock: { trackId: 1, unixMs: wallMs } })!;
    expect(f.sequenceNumber).toBe(41);
    expect(f.tracks.map((t) => [t.trackId, t.baseDecodeTimeTicks, t.sampleCount])).toEqual([
      [1, 0, 4],
      [2, 0, 4],
    ]);
    const r = readMp4(concat([writeFmp4Init({ tracks: [VIDEO, audio] }), f.bytes]));
    expect(r.fragments[0]!.producerReferenceTime).toMatchObject({
      trackId: 1,
      unixMs: wallMs,
      mediaTimeTicks: 0,
    });
    expect(r.samples.filter((s) => s.trackId === 2).map((s) => [s.dtsTicks, s.durationTicks])).toEqual([
      [0, 320],
      [320, 320],
      [640, 320],
      [960, 320],
    ]);
    expect(r.tracks[1]!.config).toEqual({ codec: 'pcmu', sampleRate: 8000, channels: 1 });
  });

  it('rejects decode times going backwards, times before the origin, and unknown tracks', () => {
    const seg = new Fmp4Segmenter({ tracks: [VIDEO], decodeTimeOriginTicks: new Map([[1, 100]]) });
    seg.push(1, { dtsTicks: 3700, ptsTicks: 3700, isKey: true, nalus: nal(0) });
    expect(codeOf(() => seg.push(1, { dtsTicks: 3699, ptsTicks: 3699, isKey: false, nalus: nal(1) }))).toBe(
      'ARGUS_ERR_MP4_BAD_SAMPLES',
    );
    expect(codeOf(() => seg.push(1, { dtsTicks: 99, ptsTicks: 99, isKey: false, nalus: nal(1) }))).toBe(
      'ARGUS_ERR_MP4_BAD_SAMPLES',
    );
    expect(codeOf(() => seg.push(9, { dtsTicks: 4000, ptsTicks: 4000, isKey: false, nalus: nal(1) }))).toBe(
      'ARGUS_ERR_MP4_BAD_SAMPLES',
    );
    expect(codeOf(() => seg.push(1, { dtsTicks: 4000, ptsTicks: 4000, isKey: false }))).toBe(
      'ARGUS_ERR_MP4_BAD_SAMPLES',
    );
  });
});

describe('writers: configuration errors', () => {
  it('refuses bad configurations and empty fragments with typed errors', () => {
    expect(codeOf(() => writeFmp4Init({ tracks: [] }))).toBe('ARGUS_ERR_MP4_BAD_CONFIG');
    expect(codeOf(() => writeFmp4Init({ tracks: [VIDEO, VIDEO] }))).toBe('ARGUS_ERR_MP4_BAD_CONFIG');
    expect(codeOf(() => writeFmp4Init({ tracks: [{ trackId: 1, config: { ...h264, sps: [] } }] }))).toBe(
      'ARGUS_ERR_MP4_BAD_CONFIG',
    );
    expect(codeOf(() => writeFmp4Init({ tracks: [{ trackId: 1, config: { ...h264, width: 0 } }] }))).toBe(
      'ARGUS_ERR_MP4_BAD_CONFIG',
    );
    expect(
      codeOf(() =>
        writeFmp4Init({ tracks: [{ trackId: 1, config: { codec: 'pcma', sampleRate: 0, channels: 1 } }] }),
      ),
    ).toBe('ARGUS_ERR_MP4_BAD_CONFIG');
    expect(codeOf(() => writeMediaFragment({ sequenceNumber: 1, tracks: [] }))).toBe(
      'ARGUS_ERR_MP4_BAD_SAMPLES',
    );
    expect(
      codeOf(() =>
        writeMediaFragment({
          sequenceNumber: 1,
          tracks: [
            {
              trackId: 1,
              baseDecodeTimeTicks: 0,
              samples: [{ durationTicks: 1, compositionOffsetTicks: 0, isKey: true }],
            },
          ],
        }),
      ),
    ).toBe('ARGUS_ERR_MP4_BAD_SAMPLES');
  });

  it('converts wall clock to NTP and back to the millisecond', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000_000 }), (ms) => {
        expect(ntp64ToUnixMs(unixMsToNtp64(ms))).toBe(ms);
      }),
      { seed: 42, numRuns: 500 },
    );
    expect(unixMsToNtp64(0) >> 32n).toBe(2_208_988_800n);
  });
});

describe('G.711 entries with real H.264 video', () => {
  it.each(['pcmu', 'pcma'] as const)('%s: ffprobe reads the entry and ffmpeg decodes the file', (codec) => {
    const audio: Mp4TrackSpec = { trackId: 2, config: { codec, sampleRate: 8000, channels: 1 } };
    const seg = new Fmp4Segmenter({ tracks: [VIDEO, audio] });
    const parts = [writeFmp4Init({ tracks: [VIDEO, audio] })];
    const video = source.samples.filter((s) => s.trackId === 1);
    video.forEach((s, i) => {
      seg.push(1, {
        dtsTicks: s.dtsTicks * 7.03125,
        ptsTicks: s.ptsTicks * 7.03125,
        isKey: s.isKey,
        nalus: splitNalus(s.data),
      });
      // 40 ms of audio per frame, in two 20 ms packets of 160 samples.
      for (const k of [0, 1]) {
        const t = i * 320 + k * 160;
        seg.push(2, {
          dtsTicks: t,
          ptsTicks: t,
          isKey: true,
          data: new Uint8Array(160).fill(codec === 'pcmu' ? 0xff : 0xd5),
        });
      }
      if (i % 8 === 7) parts.push(seg.flush()!.bytes);
    });
    parts.push(seg.flush({ lastDurations: 'repeat-previous' })!.bytes);
    const out = join(dir, `${codec}.mp4`);
    writeFileSync(out, concat(parts));
    expect(ffmpegDecode(out)).toEqual({ status: 0, stderr: '' });
    const p = ffprobe(out);
    const a = p.streams.find((s) => s.codec_type === 'audio') as
      { codec_name: string; sample_rate?: string } | undefined;
    expect(a?.codec_name).toBe(codec === 'pcmu' ? 'pcm_mulaw' : 'pcm_alaw');
    expect(a?.sample_rate).toBe('8000');
    const v = p.streams.find((s) => s.codec_type === 'video')!;
    expect(Number(v.nb_read_frames)).toBe(video.length);
  });
});
