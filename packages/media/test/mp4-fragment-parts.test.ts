// The vectored form of a movie fragment (writeMediaFragmentParts, Fmp4Segmenter.flushParts): its
// pieces concatenate to exactly the bytes of the one-buffer writer, sample bytes are the caller's
// own buffers (not copies), and samples stored back to back in one buffer become one piece.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Fmp4Segmenter,
  readMp4,
  writeFmp4Init,
  writeMediaFragment,
  writeMediaFragmentParts,
  type FragmentSample,
  type FragmentTrack,
  type H264TrackConfig,
  type MediaFragmentInput,
  type Mp4TrackSpec,
} from '@argus/media';

const SPS = Uint8Array.from(Buffer.from('Z01AKNoB4AiflwEQAAADABAAAAMDIPGDKg==', 'base64'));
const PPS = Uint8Array.from(Buffer.from('aO88gA==', 'base64'));
const H264: H264TrackConfig = { codec: 'h264', sps: [SPS], pps: [PPS], width: 1920, height: 1080 };
const AAC = {
  codec: 'aac' as const,
  sampleRate: 48000,
  channels: 2,
  audioSpecificConfig: Uint8Array.of(0x11, 0x90),
};

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const bytes = (n: number, seed: number): Uint8Array =>
  Uint8Array.from({ length: n }, (_, i) => (seed + i * 13) & 0xff);

const sampleArb = fc.record({
  durationTicks: fc.integer({ min: 0, max: 10_000 }),
  compositionOffsetTicks: fc.integer({ min: -3000, max: 3000 }),
  isKey: fc.boolean(),
  shape: fc.oneof(
    fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 4 }).map((s) => ({ nalus: s })),
    fc.integer({ min: 1, max: 3000 }).map((n) => ({ data: n })),
  ),
});

/** Samples; `data` ones are carved back to back from one shared buffer when `shared`. */
type SampleSpec = typeof sampleArb extends fc.Arbitrary<infer T> ? T : never;

function build(specs: SampleSpec[], shared: boolean, seed: number): FragmentSample[] {
  const total = specs.reduce((a, s) => a + ('data' in s.shape ? s.shape.data : 0), 0);
  const pool = bytes(total + 16, seed);
  let at = 8;
  return specs.map((s, i) => {
    const base = {
      durationTicks: s.durationTicks,
      compositionOffsetTicks: s.compositionOffsetTicks,
      isKey: s.isKey,
    };
    if ('nalus' in s.shape)
      return { ...base, nalus: s.shape.nalus.map((n, k) => bytes(n, seed + i * 7 + k)) };
    const n = s.shape.data;
    const data = shared ? pool.subarray(at, at + n) : bytes(n, seed + i);
    at += n;
    return { ...base, data };
  });
}

describe('vectored movie fragments', () => {
  it('pieces concatenate to the one-buffer bytes; samples are not copied; shared runs merge', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(sampleArb, { minLength: 0, maxLength: 6 }), { minLength: 1, maxLength: 2 }),
        fc.boolean(),
        fc.option(fc.integer({ min: 0, max: 2 ** 40 })),
        fc.nat(1000),
        (perTrack, shared, wallMs, seed) => {
          const tracks: FragmentTrack[] = perTrack.map((specs, t) => ({
            trackId: t + 1,
            baseDecodeTimeTicks: seed * 1000 + t,
            samples: build(specs, shared, seed + t * 101),
          }));
          fc.pre(tracks.some((t) => t.samples.length > 0));
          const input: MediaFragmentInput = { sequenceNumber: seed + 1, tracks };
          if (wallMs !== null)
            input.producerReferenceTime = {
              trackId: 1,
              ntpTimestamp: BigInt(wallMs) << 20n,
              mediaTimeTicks: seed,
            };
          const whole = writeMediaFragment(input);
          const { parts, byteLength } = writeMediaFragmentParts(input);
          expect(byteLength).toBe(whole.length);
          expect(Buffer.from(concat(parts)).equals(Buffer.from(whole))).toBe(true);
          const all = tracks.flatMap((t) => t.samples);
          for (const s of all) {
            for (const nal of s.nalus ?? []) expect(parts).toContain(nal);
            if (s.data !== undefined && s.data.length > 0) {
              expect(parts.some((p) => p.buffer === s.data!.buffer)).toBe(true);
            }
          }
          // Data samples in one buffer back to back (per track here) become one piece per run.
          let runs = 0;
          for (const t of tracks) {
            let inRun = false;
            for (const smp of t.samples) {
              if (smp.nalus !== undefined) inRun = false;
              else if (!shared || !inRun) {
                runs++;
                inRun = true;
              }
            }
          }
          const dataParts = parts.filter((p) =>
            all.some((x) => x.data !== undefined && x.data.buffer === p.buffer),
          );
          expect(dataParts).toHaveLength(runs);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('Fmp4Segmenter.flushParts gives the bytes and summaries of flush, and the file reads back', () => {
    const specs: Mp4TrackSpec[] = [
      { trackId: 1, config: H264 },
      { trackId: 2, config: AAC },
    ];
    const a = new Fmp4Segmenter({ tracks: specs });
    const b = new Fmp4Segmenter({ tracks: specs });
    const files: Uint8Array[][] = [[writeFmp4Init({ tracks: specs })], [writeFmp4Init({ tracks: specs })]];
    for (let i = 0; i < 50; i++) {
      const video = {
        dtsTicks: i * 3600,
        ptsTicks: i * 3600,
        isKey: i % 10 === 0,
        nalus: [bytes(50 + i * 40, i)],
      };
      video.nalus[0]![0] = i % 10 === 0 ? 0x65 : 0x41;
      const audio = { dtsTicks: i * 1024, ptsTicks: i * 1024, isKey: true, data: bytes(200, i) };
      for (const s of [a, b]) {
        s.push(1, video);
        s.push(2, audio);
      }
      if (i % 10 === 9) {
        const options = { wallClock: { trackId: 1, unixMs: 1_700_000_000_000 + i * 40 } };
        const one = a.flush(options)!;
        const parts = b.flushParts(options)!;
        expect(parts.tracks).toEqual(one.tracks);
        expect(parts.sequenceNumber).toBe(one.sequenceNumber);
        expect(Buffer.from(concat(parts.parts)).equals(Buffer.from(one.bytes))).toBe(true);
        files[0]!.push(one.bytes);
        files[1]!.push(concat(parts.parts));
      }
    }
    const lastA = a.flush({ lastDurations: 'repeat-previous' })!;
    const lastB = b.flushParts({ lastDurations: 'repeat-previous' })!;
    files[0]!.push(lastA.bytes);
    files[1]!.push(concat(lastB.parts));
    expect(a.flushParts()).toBeNull();
    const file = readMp4(concat(files[1]!));
    expect(file.tornTailAtByte).toBeUndefined();
    expect(file.fragments.map((f) => f.samples.length)).toEqual([18, 20, 20, 20, 20, 2]);
    expect(Buffer.from(concat(files[1]!)).equals(Buffer.from(concat(files[0]!)))).toBe(true);
  });
});
