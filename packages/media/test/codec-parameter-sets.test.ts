// SPS/VPS parsing and codec strings checked against ffprobe's report on real x264/x265 streams,
// plus Annex B splitting, AAC AudioSpecificConfig, and fuzzing (only MediaError escapes).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aacCodecString,
  buildAacConfig,
  joinAnnexB,
  parseAacConfig,
  parseH264Sps,
  parseH265Sps,
  parseH265Vps,
  removeEmulationPrevention,
  splitAnnexB,
} from '../src/codec/index.js';
import { isMediaError } from '../src/media-error.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/codec/${name}`, import.meta.url));

interface ProbeStream {
  codec_name: string;
  profile: string;
  level: number;
  width: number;
  height: number;
  pix_fmt: string;
  r_frame_rate: string;
}

function ffprobe(file: string): ProbeStream {
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', file], {
    timeout: 10_000,
  });
  return (JSON.parse(out.toString()) as { streams: ProbeStream[] }).streams[0]!;
}

function rate(fraction: string): number {
  const [n, d] = fraction.split('/').map(Number);
  return n! / d!;
}

const H264_PROFILES: Record<string, number> = {
  'Constrained Baseline': 66,
  Baseline: 66,
  Main: 77,
  High: 100,
  'High 10': 110,
  'High 4:2:2': 122,
};
const H265_PROFILES: Record<string, number> = { Main: 1, 'Main 10': 2 };

function mustFind(nalus: Uint8Array[], pred: (n: Uint8Array) => boolean): Uint8Array {
  const nal = nalus.find(pred);
  if (!nal) throw new Error('NAL not found in fixture');
  return nal;
}

describe('H.264 SPS against ffprobe', () => {
  it.each([
    ['h264-high-320x240.h264', 'avc1.64000D', 1, 0],
    ['h264-baseline-1920x1080.h264', 'avc1.42C028', 1, 0],
    ['h264-high422-10bit-1920x1080.h264', 'avc1.7A0028', 2, 2],
  ])('%s', (name, codecString, chroma, depthMinus8) => {
    const nalus = splitAnnexB(readFileSync(fixture(name)));
    const sps = parseH264Sps(mustFind(nalus, (n) => (n[0]! & 0x1f) === 7));
    const probe = ffprobe(fixture(name));
    expect(sps.width).toBe(probe.width);
    expect(sps.height).toBe(probe.height);
    expect(sps.profileIdc).toBe(H264_PROFILES[probe.profile]);
    expect(sps.levelIdc).toBe(probe.level);
    expect(sps.codecString).toBe(codecString);
    expect(sps.chromaFormatIdc).toBe(chroma);
    expect(sps.bitDepthLumaMinus8).toBe(depthMinus8);
    expect(sps.bitDepthChromaMinus8).toBe(depthMinus8);
    expect(sps.frameRate).toBeCloseTo(rate(probe.r_frame_rate), 6);
  });
});

describe('H.265 VPS/SPS against ffprobe', () => {
  it.each([
    ['h265-main-320x240.h265', 0],
    ['h265-main10-1920x1080.h265', 2],
  ])('%s', (name, depthMinus8) => {
    const nalus = splitAnnexB(readFileSync(fixture(name)));
    const sps = parseH265Sps(mustFind(nalus, (n) => ((n[0]! >> 1) & 0x3f) === 33));
    const vps = parseH265Vps(mustFind(nalus, (n) => ((n[0]! >> 1) & 0x3f) === 32));
    const probe = ffprobe(fixture(name));
    expect(sps.width).toBe(probe.width);
    expect(sps.height).toBe(probe.height);
    expect(sps.generalProfileIdc).toBe(H265_PROFILES[probe.profile]);
    expect(sps.generalLevelIdc).toBe(probe.level);
    expect(sps.generalProfileSpace).toBe(0);
    expect(sps.generalTierFlag).toBe(0);
    expect(sps.chromaFormatIdc).toBe(1);
    expect(sps.bitDepthLumaMinus8).toBe(depthMinus8);
    expect(sps.bitDepthChromaMinus8).toBe(depthMinus8);
    expect(sps.generalConstraintIndicatorFlags).toHaveLength(6);
    // Main is compatible with Main and Main 10 (flags 1 and 2); Main 10 with Main 10 only.
    const compat = sps.generalProfileIdc === 1 ? 0x60000000 : 0x20000000;
    expect(sps.generalProfileCompatibilityFlags).toBe(compat);
    expect(sps.codecString).toBe(
      sps.generalProfileIdc === 1 ? `hvc1.1.6.L${probe.level}.90` : `hvc1.2.4.L${probe.level}.90`,
    );
    expect(sps.frameRate).toBeCloseTo(rate(probe.r_frame_rate), 6);
    expect(vps.generalProfileIdc).toBe(sps.generalProfileIdc);
    expect(vps.generalLevelIdc).toBe(sps.generalLevelIdc);
  });
});

describe('Annex B', () => {
  it('splits 3- and 4-byte start codes and joins back', () => {
    const stream = Uint8Array.from([
      9, 0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 0, 0, 1, 0x65, 0, 0, 3, 1,
    ]);
    const nalus = splitAnnexB(stream).map((n) => Array.from(n));
    expect(nalus).toEqual([
      [0x67, 1, 2],
      [0x68, 3],
      [0x65, 0, 0, 3, 1],
    ]);
    expect(splitAnnexB(joinAnnexB(nalus.map((n) => Uint8Array.from(n)))).map((n) => Array.from(n))).toEqual(
      nalus,
    );
  });

  it('round-trips real streams byte for byte', () => {
    for (const name of ['h264-high-320x240.h264', 'h265-main-320x240.h265']) {
      const nalus = splitAnnexB(readFileSync(fixture(name)));
      expect(nalus.length).toBeGreaterThan(5);
      const again = splitAnnexB(joinAnnexB(nalus));
      expect(again.map((n) => Buffer.from(n).toString('hex'))).toEqual(
        nalus.map((n) => Buffer.from(n).toString('hex')),
      );
    }
  });

  it('removes emulation prevention bytes', () => {
    const nal = Uint8Array.from([0x67, 0, 0, 3, 1, 0, 0, 3, 0, 0, 3]);
    expect(Array.from(removeEmulationPrevention(nal))).toEqual([0x67, 0, 0, 1, 0, 0, 0, 0]);
  });
});

describe('AAC AudioSpecificConfig', () => {
  it('parses common configs', () => {
    expect(parseAacConfig('1190')).toMatchObject({
      objectType: 2,
      sampleRate: 48000,
      channels: 2,
      samplesPerFrame: 1024,
    });
    expect(parseAacConfig('1588')).toMatchObject({ objectType: 2, sampleRate: 8000, channels: 1 });
    // HE-AAC explicit: SBR (5) at 24 kHz core, 48 kHz output, then AAC LC.
    expect(parseAacConfig('2B098800')).toMatchObject({
      objectType: 5,
      sampleRate: 24000,
      extensionSampleRate: 48000,
    });
    expect(aacCodecString(parseAacConfig('1210'))).toBe('mp4a.40.2');
  });

  it('round-trips build -> parse for arbitrary fields', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 3, 4, 6, 17, 23, 42),
        fc.oneof(fc.constantFrom(8000, 16000, 44100, 48000), fc.integer({ min: 1, max: 0xffffff })),
        fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 8),
        (objectType, sampleRate, channels) => {
          const parsed = parseAacConfig(buildAacConfig({ objectType, sampleRate, channels }));
          expect(parsed).toMatchObject({ objectType, sampleRate, channels });
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('parameter-set parsers under fuzzing', () => {
  const realSps = [
    mustFind(splitAnnexB(readFileSync(fixture('h264-high-320x240.h264'))), (n) => (n[0]! & 0x1f) === 7),
    mustFind(
      splitAnnexB(readFileSync(fixture('h265-main-320x240.h265'))),
      (n) => ((n[0]! >> 1) & 0x3f) === 33,
    ),
    mustFind(
      splitAnnexB(readFileSync(fixture('h265-main-320x240.h265'))),
      (n) => ((n[0]! >> 1) & 0x3f) === 32,
    ),
  ];
  const mutated = fc
    .tuple(fc.constantFrom(...realSps), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat())
    .map(([nal, i, v, cut]) => {
      const copy = nal.slice(0, Math.max(2, cut % (nal.length + 1)));
      if (copy.length > 2) copy[2 + (i % (copy.length - 2))] = v;
      return copy;
    });
  const parsers = [parseH264Sps, parseH265Sps, parseH265Vps, parseAacConfig, splitAnnexB];

  it('throw only MediaError on arbitrary and mutated input', () => {
    fc.assert(
      fc.property(fc.oneof(mutated, fc.uint8Array({ maxLength: 64 })), (bytes) => {
        for (const parse of parsers) {
          try {
            parse(bytes);
          } catch (err) {
            if (!isMediaError(err)) throw err;
          }
        }
      }),
      { seed: 42, numRuns: 3000 },
    );
  });
});
