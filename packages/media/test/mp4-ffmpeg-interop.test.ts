// Round trip through peers we did not write: ffmpeg makes H.264/H.265 + AAC clips (fragmented and
// progressive), our reader parses them, our fMP4 and progressive writers write them back, and
// ffprobe, ffmpeg's decoder and mp4box.js judge the result against the source.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMp4, type Mp4ReadResult } from '@argus/media';
import {
  ffmpegDecode,
  ffprobe,
  makeSource,
  mp4boxParse,
  progressiveInput,
  remuxToFmp4,
  writeProgressive,
  type Probe,
  type SourceCodec,
} from './mp4-helpers.js';

const FRAME_S = 1 / 25;
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'argus-mp4-interop-'));
});
afterAll(() => {
  if (dir && process.env.ARGUS_KEEP_TEST_OUTPUT === undefined) rmSync(dir, { recursive: true, force: true });
});

function video(p: Probe): NonNullable<Probe['streams'][number]> {
  const v = p.streams.find((s) => s.codec_type === 'video');
  if (v === undefined) throw new Error('no video stream');
  return v;
}

function audio(p: Probe): NonNullable<Probe['streams'][number]> {
  const a = p.streams.find((s) => s.codec_type === 'audio');
  if (a === undefined) throw new Error('no audio stream');
  return a;
}

/** ffmpeg decodes `out` cleanly with the source's codec, size, frames and durations (within a frame). */
function expectSameMedia(
  out: string,
  source: Probe,
  o: { audioFrames: number; formatDuration: boolean },
): Probe {
  const decode = ffmpegDecode(out);
  expect(decode.stderr).toBe('');
  expect(decode.status).toBe(0);
  const p = ffprobe(out);
  const v = video(p);
  const sv = video(source);
  expect(v.codec_name).toBe(sv.codec_name);
  expect([v.width, v.height]).toEqual([sv.width, sv.height]);
  expect(v.nb_read_frames).toBe(sv.nb_read_frames);
  expect(Math.abs(Number(v.duration) - Number(sv.duration))).toBeLessThanOrEqual(FRAME_S + 1e-6);
  const a = audio(p);
  const sa = audio(source);
  expect(a.codec_name).toBe('aac');
  expect(Number(a.nb_read_frames)).toBe(o.audioFrames);
  if (o.formatDuration) {
    expect(Math.abs(Number(a.duration) - Number(sa.duration))).toBeLessThanOrEqual(FRAME_S + 1e-6);
    expect(Math.abs(Number(p.format.duration) - Number(source.format.duration))).toBeLessThanOrEqual(
      FRAME_S + 1e-6,
    );
  }
  return p;
}

const cases: Array<[SourceCodec, boolean]> = [
  ['h264', true],
  ['h264', false],
  ['h265', true],
  ['h265', false],
];

describe.each(cases)('%s source (fragmented=%s)', (codec, fragmented) => {
  let srcPath = '';
  let src: Mp4ReadResult;
  let srcProbe: Probe;

  beforeAll(() => {
    srcPath = makeSource(codec, fragmented, join(dir, `${codec}-${fragmented ? 'frag' : 'prog'}.mp4`), {
      gop: 25,
    });
    srcProbe = ffprobe(srcPath);
    src = readMp4(readFileSync(srcPath));
  });

  it('reads tracks and every sample of the source', () => {
    expect(src.tracks.map((t) => t.config?.codec)).toEqual([codec, 'aac']);
    expect(src.fragmented).toBe(fragmented);
    expect(src.tornTailAtByte).toBeUndefined();
    const v = src.tracks[0]!;
    expect(v.config).toMatchObject({ width: 320, height: 240 });
    const vs = src.samples.filter((s) => s.trackId === v.trackId);
    expect(String(vs.length)).toBe(video(srcProbe).nb_read_frames);
    expect(vs.filter((s) => s.isKey).length).toBe(2); // -g 25 over 2 s
    // ffmpeg's progressive files trim one AAC priming frame with an edit list; fragmented ones do not.
    const audioSamples = src.samples.filter((s) => s.trackId === 2).length;
    expect(audioSamples).toBe(Number(audio(srcProbe).nb_read_frames) + (fragmented ? 0 : 1));
  });

  it('rewrites as our fMP4 with GOPs split across fragments: ffmpeg decodes it like the source', () => {
    const { bytes, fragments } = remuxToFmp4(src, {
      fragmentMs: 400,
      wallClockStartMs: Date.UTC(2024, 0, 2),
    });
    expect(fragments).toBeGreaterThanOrEqual(5);
    const out = join(dir, `${codec}-${fragmented}-ours.mp4`);
    writeFileSync(out, bytes);
    // Our fMP4 carries no edit list, so a progressive source's priming frame is counted too.
    const audioFrames = src.samples.filter((s) => s.trackId === 2).length;
    expectSameMedia(out, srcProbe, { audioFrames, formatDuration: fragmented });
    const m = mp4boxParse(bytes);
    expect(m.problems).toEqual([]);
    expect(m.info?.isFragmented).toBe(true);
    expect(m.info?.tracks.map((t) => t.codec.slice(0, 4))).toEqual([
      codec === 'h264' ? 'avc1' : 'hvc1',
      'mp4a',
    ]);
    expect(m.file.moofs.length).toBe(fragments);
    m.file.moofs.forEach((moof, i) => {
      expect(moof.mfhd.sequence_number).toBe(i + 1);
      for (const traf of moof.trafs) {
        expect(traf.tfhd.flags & 0x020000).toBe(0x020000);
        expect(traf.tfdt.version).toBe(1);
        expect(traf.truns[0]?.sample_count).toBeGreaterThan(0);
      }
    });
  });

  it('rewrites as our progressive MP4: ffmpeg decodes it like the source', async () => {
    // Times are on the source's presentation timeline: start at 0 trims what its edit list trimmed.
    const bytes = await writeProgressive({
      tracks: progressiveInput(src),
      ...(fragmented ? {} : { startTime90k: 0 }),
    });
    const out = join(dir, `${codec}-${fragmented}-ours-prog.mp4`);
    writeFileSync(out, bytes);
    const audioFrames = Number(audio(srcProbe).nb_read_frames);
    expectSameMedia(out, srcProbe, { audioFrames, formatDuration: true });
    const m = mp4boxParse(bytes);
    expect(m.problems).toEqual([]);
    expect(m.info?.isFragmented).toBe(false);
    expect(m.info?.isProgressive).toBe(true);
    expect(m.info?.tracks[0]?.nb_samples).toBe(Number(video(srcProbe).nb_read_frames));
  });
});
