// Golden tests on committed clips (fixtures/mp4/README.md says how each was made): parse, check
// fields, serialize again and get the very same bytes for the boxes we own: avcC, hvcC and esds of
// ffmpeg's files, and the init section and every prft+moof+mdat of a file our writer made.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ByteWriter,
  readMp4,
  writeAvcCBox,
  writeEsdsBox,
  writeFmp4Init,
  writeHvcCBox,
  writeMediaFragment,
  type FragmentTrack,
  type Mp4FragmentInfo,
  type TrackConfig,
} from '@argus/media';
import { remuxToFmp4, sameBytes } from './mp4-helpers.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/mp4/${name}`, import.meta.url));
const load = (name: string): Uint8Array => new Uint8Array(readFileSync(fixture(name)));

/** The bytes of the first box of `type` in `file`, found by its fourcc (independent of our parser). */
function rawBox(file: Uint8Array, type: string): Uint8Array {
  const at = Buffer.from(file.buffer, file.byteOffset, file.length).indexOf(type, 0, 'latin1') - 4;
  expect(at).toBeGreaterThan(0);
  const size = new DataView(file.buffer, file.byteOffset + at, 4).getUint32(0);
  return file.subarray(at, at + size);
}

function serialize(write: (w: ByteWriter) => void): Uint8Array {
  const w = new ByteWriter();
  write(w);
  return w.toUint8Array();
}

describe('ffmpeg fragmented H.264 + AAC', () => {
  const file = load('h264-aac-frag.mp4');
  const r = readMp4(file);

  it('has the expected tracks, fragments and samples', () => {
    expect(r.majorBrand).toBe('iso5');
    expect(r.fragmented).toBe(true);
    expect(r.tracks.map((t) => [t.trackId, t.handlerType, t.timescale, t.sampleEntryType])).toEqual([
      [1, 'vide', 12800, 'avc1'],
      [2, 'soun', 48000, 'mp4a'],
    ]);
    const v = r.tracks[0]!.config as Extract<TrackConfig, { codec: 'h264' }>;
    expect([v.codec, v.width, v.height, v.sps.length, v.pps.length]).toEqual(['h264', 160, 120, 1, 1]);
    expect(v.sps[0]![0]! & 0x1f).toBe(7);
    expect(r.tracks[0]!.nalLengthSize).toBe(4);
    const a = r.tracks[1]!.config as Extract<TrackConfig, { codec: 'aac' }>;
    expect([a.sampleRate, a.channels, a.audioSpecificConfig[0]! >> 3]).toEqual([48000, 1, 2]); // AAC LC
    expect(r.fragments.map((f) => f.sequenceNumber)).toEqual([1, 2, 3]);
    const video = r.samples.filter((s) => s.trackId === 1);
    expect(video).toHaveLength(25);
    expect(video.map((s, i) => (s.isKey ? i : -1)).filter((i) => i >= 0)).toEqual([0, 10, 20]);
    expect(video.every((s) => s.durationTicks === 512)).toBe(true);
    expect(r.fragments[0]!.samples[0]!.isKey).toBe(true);
    // ffmpeg ends the file with an mfra box: whole, so nothing is torn.
    expect(r.fragments.at(-1)!.endByte).toBeLessThan(file.length);
    expect(r.lastCompleteFragmentEnd).toBe(file.length);
    expect(r.tornTailAtByte).toBeUndefined();
  });

  it('rewrites avcC and esds byte for byte', () => {
    const v = r.tracks[0]!.config as Extract<TrackConfig, { codec: 'h264' }>;
    expect(
      sameBytes(
        serialize((w) => writeAvcCBox(w, v.sps, v.pps)),
        rawBox(file, 'avcC'),
      ),
    ).toBe(true);
    const a = r.tracks[1]!.config as Extract<TrackConfig, { codec: 'aac' }>;
    expect(
      sameBytes(
        serialize((w) => writeEsdsBox(w, 2, a.audioSpecificConfig, a.esds)),
        rawBox(file, 'esds'),
      ),
    ).toBe(true);
  });
});

describe('ffmpeg fragmented H.265 + AAC', () => {
  const file = load('h265-aac-frag.mp4');
  const r = readMp4(file);

  it('parses hvcC fields and rewrites hvcC byte for byte', () => {
    const v = r.tracks[0]!.config as Extract<TrackConfig, { codec: 'h265' }>;
    expect(r.tracks[0]!.sampleEntryType).toBe('hvc1');
    expect([v.width, v.height, v.vps.length, v.sps.length, v.pps.length]).toEqual([160, 120, 1, 1, 1]);
    expect(v.hevc).toMatchObject({
      generalProfileSpace: 0,
      generalTierFlag: 0,
      generalProfileIdc: 1, // Main
      chromaFormatIdc: 1,
      bitDepthLumaMinus8: 0,
      bitDepthChromaMinus8: 0,
    });
    expect(v.hevc.generalProfileCompatibilityFlags >>> 0).toBe(0x60000000);
    expect(v.hevc.generalConstraintIndicatorFlags).toHaveLength(6);
    expect(v.sei?.length).toBe(1); // x265 writes its version SEI into hvcC
    expect(
      sameBytes(
        serialize((w) => writeHvcCBox(w, v)),
        rawBox(file, 'hvcC'),
      ),
    ).toBe(true);
    expect(r.samples.filter((s) => s.trackId === 1)).toHaveLength(25);
  });
});

describe('ffmpeg progressive H.264 + AAC', () => {
  const r = readMp4(load('h264-aac-prog.mp4'));

  it('expands stts/ctts/stss/stsc/stsz/stco and reports the edit list', () => {
    expect(r.fragmented).toBe(false);
    expect(r.tracks[0]!.editList).toEqual([{ segmentDuration: 1000, mediaTime: 1024 }]);
    const video = r.samples.filter((s) => s.trackId === 1);
    expect(video).toHaveLength(25);
    expect(video.map((s, i) => (s.isKey ? i : -1)).filter((i) => i >= 0)).toEqual([0, 10, 20]);
    expect(video.map((s) => s.dtsTicks)).toEqual(video.map((_, i) => i * 512));
    expect(video.some((s) => s.ptsTicks !== s.dtsTicks)).toBe(true); // B-frames: ctts
    const offsets = r.samples.map((s) => s.byteOffset);
    expect(offsets).toEqual(offsets.slice().sort((a, b) => a - b));
    const pts = video.map((s) => s.ptsTicks).sort((a, b) => a - b);
    expect(pts).toEqual(video.map((_, i) => 1024 + i * 512)); // every frame presented once
  });
});

describe('our fMP4 (argus-h264-aac.mp4)', () => {
  const name = 'argus-h264-aac.mp4';
  const fresh = remuxToFmp4(readMp4(load('h264-aac-frag.mp4')), {
    fragmentMs: 300,
    wallClockStartMs: Date.UTC(2024, 0, 2),
  }).bytes;
  if (process.env.ARGUS_UPDATE_GOLDEN === '1' || !existsSync(fixture(name)))
    writeFileSync(fixture(name), fresh);
  const file = load(name);
  const r = readMp4(file);

  it('is what the writer produces today', () => {
    expect(sameBytes(fresh, file)).toBe(true);
  });

  it('carries prft wall clock, sequence numbers and split GOPs', () => {
    expect(r.majorBrand).toBe('iso6');
    expect(r.compatibleBrands).toEqual(['iso6', 'cmfc', 'mp41']);
    expect(r.tracks.map((t) => t.timescale)).toEqual([90000, 48000]);
    expect(r.fragments.length).toBeGreaterThanOrEqual(3);
    r.fragments.forEach((f, i) => {
      expect(f.sequenceNumber).toBe(i + 1);
      expect(f.producerReferenceTime?.unixMs).toBe(Date.UTC(2024, 0, 2) + i * 300);
      expect(f.producerReferenceTime?.trackId).toBe(1);
    });
    expect(r.fragments.some((f) => !f.samples[0]!.isKey)).toBe(true);
    expect(r.samples.filter((s) => s.trackId === 1).every((s) => s.durationTicks === 3600)).toBe(true);
  });

  it('rewrites the init section and every fragment byte for byte', () => {
    const init = writeFmp4Init({ tracks: r.tracks.map((t) => ({ trackId: t.trackId, config: t.config! })) });
    expect(sameBytes(init, file.subarray(0, r.initEndByte))).toBe(true);
    for (const f of r.fragments)
      expect(sameBytes(rebuild(f), file.subarray(f.startByte, f.endByte))).toBe(true);
  });
});

function rebuild(f: Mp4FragmentInfo): Uint8Array {
  const tracks: FragmentTrack[] = [];
  for (const s of f.samples) {
    let t = tracks.find((x) => x.trackId === s.trackId);
    if (t === undefined) {
      t = { trackId: s.trackId, baseDecodeTimeTicks: s.dtsTicks, samples: [] };
      tracks.push(t);
    }
    (t.samples as object[]).push({
      durationTicks: s.durationTicks,
      compositionOffsetTicks: s.ptsTicks - s.dtsTicks,
      isKey: s.isKey,
      data: s.data,
    });
  }
  const p = f.producerReferenceTime;
  return writeMediaFragment({
    sequenceNumber: f.sequenceNumber,
    tracks,
    ...(p ? { producerReferenceTime: { ...p } } : {}),
  });
}
