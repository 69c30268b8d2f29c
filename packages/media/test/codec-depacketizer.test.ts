// Depacketizer behaviour on broken and unusual input: lost/missing fragments, missing parameter
// sets, SDP-seeded parameter sets, oversize units, DONL, interleaved AAC, and fuzzing with
// arbitrary payloads (push never throws; every emitted unit respects the size bound).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccessUnit, VideoAccessUnit } from '../src/access-unit.js';
import {
  AacDepacketizer,
  createDepacketizer,
  ERR_CODEC_UNSUPPORTED,
  H264Depacketizer,
  H265Depacketizer,
  type Depacketizer,
  type TrackCodecDescription,
} from '../src/codec/index.js';
import { isMediaError } from '../src/media-error.js';
import type { RtpPacket } from '../src/rtp/index.js';

const AUD = Uint8Array.of(0x09, 0xf0);
const SPS = Uint8Array.of(0x67, 0x42, 0xc0, 0x1e, 0xab);
const PPS = Uint8Array.of(0x68, 0xce, 0x3c, 0x80);
const IDR = Uint8Array.of(0x65, 0x88, 0x84, 0x00, 0x10);
const P = Uint8Array.of(0x41, 0x9a, 0x02);

function rtp(payload: Uint8Array | number[], marker = true, timestamp = 0): RtpPacket {
  return {
    payloadType: 96,
    marker,
    sequenceNumber: 0,
    timestamp,
    ssrc: 1,
    csrcs: [],
    payload: Uint8Array.from(payload),
  };
}

function fuA(nal: Uint8Array, start: boolean, end: boolean, body: Uint8Array): Uint8Array {
  return Uint8Array.from([
    (nal[0]! & 0xe0) | 28,
    (start ? 0x80 : 0) | (end ? 0x40 : 0) | (nal[0]! & 0x1f),
    ...body,
  ]);
}

function stapA(...nalus: Uint8Array[]): Uint8Array {
  return Uint8Array.from([0x78, ...nalus.flatMap((n) => [n.length >> 8, n.length & 0xff, ...n])]);
}

/** Feeds (packet, timestamp, lostBefore) triples and returns the emitted video units. */
function run(d: Depacketizer, steps: [Uint8Array, boolean, number, number?][]): VideoAccessUnit[] {
  const out: AccessUnit[] = [];
  for (const [payload, marker, ts, lost] of steps)
    out.push(...d.push(rtp(payload, marker, ts), ts, lost ?? 0));
  out.push(...d.flush());
  return out as VideoAccessUnit[];
}

const hex = (u: VideoAccessUnit): string[] => u.nalus.map((n) => Buffer.from(n).toString('hex'));

describe('H.264 depacketizer', () => {
  it('drops a unit whose FU-A start was lost and waits for the next key', () => {
    const d = new H264Depacketizer();
    const out = run(d, [
      [stapA(SPS, PPS), false, 0],
      [IDR, true, 0],
      [fuA(P, false, true, Uint8Array.of(1, 2)), true, 3000, 1], // start lost
      [P, true, 6000], // intact but references the damaged frame
      [stapA(SPS, PPS), false, 9000],
      [IDR, true, 9000],
    ]);
    expect(out.map((u) => [u.pts90k, u.isKey])).toEqual([
      [0, true],
      [9000, true],
    ]);
    expect(d.stats).toMatchObject({
      accessUnits: 2,
      droppedAccessUnits: 1,
      skippedAccessUnits: 1,
      lostPackets: 1,
    });
  });

  it('treats an FU-A continuation without a start as damage even when no loss was reported', () => {
    const d = new H264Depacketizer([SPS, PPS]);
    const out = run(d, [
      [IDR, true, 0],
      [fuA(IDR, false, false, Uint8Array.of(1)), false, 3000],
      [fuA(IDR, false, true, Uint8Array.of(2)), true, 3000],
    ]);
    expect(out).toHaveLength(1);
    expect(d.stats.droppedAccessUnits).toBe(1);
  });

  it('drops a key without any known parameter sets, then accepts one that carries them', () => {
    const d = new H264Depacketizer();
    const out = run(d, [
      [IDR, true, 0],
      [P, true, 3000],
      [stapA(AUD, SPS, PPS), false, 6000],
      [IDR, true, 6000],
    ]);
    expect(out.map((u) => u.pts90k)).toEqual([6000]);
    expect(hex(out[0]!)).toEqual([AUD, SPS, PPS, IDR].map((n) => Buffer.from(n).toString('hex')));
    expect(d.stats).toMatchObject({ droppedAccessUnits: 1, skippedAccessUnits: 1 });
  });

  it('prepends SDP sprop-parameter-sets to keys the camera sends bare, after the AUD', () => {
    const sprop = `${Buffer.from(SPS).toString('base64')},${Buffer.from(PPS).toString('base64')}`;
    const d = createDepacketizer({
      encodingName: 'h264',
      clockRate: 90000,
      fmtp: { 'sprop-parameter-sets': sprop },
    });
    const out = run(d, [
      [AUD, false, 0],
      [IDR, true, 0],
      [P, true, 3000],
    ]);
    expect(hex(out[0]!)).toEqual([AUD, SPS, PPS, IDR].map((n) => Buffer.from(n).toString('hex')));
    expect(out[0]!.isKey).toBe(true);
    expect(hex(out[1]!)).toEqual([Buffer.from(P).toString('hex')]);
  });

  it('splits units on a timestamp change when the marker bit never comes', () => {
    const d = new H264Depacketizer([SPS, PPS]);
    const out = run(d, [
      [IDR, false, 0],
      [P, false, 3000],
      [P, false, 6000],
    ]);
    expect(out.map((u) => u.pts90k)).toEqual([0, 3000, 6000]);
  });

  it('drops an oversize unit, counts it, and resumes at the next key', () => {
    const d = new H264Depacketizer([SPS, PPS], { maxAccessUnitBytes: 1000 });
    const big = new Uint8Array(600).fill(7);
    const out = run(d, [
      [IDR, true, 0],
      [fuA(P, true, false, big), false, 3000],
      [fuA(P, false, true, big), true, 3000],
      [P, true, 6000],
      [IDR, true, 9000],
    ]);
    expect(out.map((u) => u.pts90k)).toEqual([0, 9000]);
    expect(d.stats).toMatchObject({ oversizeAccessUnits: 1, droppedAccessUnits: 1, skippedAccessUnits: 1 });
  });

  it('rejects interleaved-mode payloads and reserved types as malformed', () => {
    const d = new H264Depacketizer([SPS, PPS]);
    run(d, [
      [Uint8Array.of(0x79, 0, 0, 0), true, 0],
      [Uint8Array.of(0x1e, 1), true, 3000],
      [Uint8Array.of(0x80 | 5, 1), true, 6000],
    ]);
    expect(d.stats.malformedPackets).toBe(3);
  });
});

describe('H.265 depacketizer', () => {
  const VPS = Uint8Array.of(0x40, 0x01, 0x0c);
  const HSPS = Uint8Array.of(0x42, 0x01, 0x01);
  const HPPS = Uint8Array.of(0x44, 0x01, 0xc1);
  const CRA = Uint8Array.of(0x2a, 0x01, 0xaf, 0x01);

  it('parses an AP with DONL/DOND when sprop-max-don-diff > 0 and an FU with DONL', () => {
    const d = new H265Depacketizer([], { donlPresent: true });
    const ap = Uint8Array.from([0x60, 0x01, 0, 5, 0, 3, ...VPS, 1, 0, 3, ...HSPS, 1, 0, 3, ...HPPS]);
    const fuStart = Uint8Array.from([0x62, 0x01, 0x80 | 21, 0, 6, 0xaf]);
    const fuEnd = Uint8Array.from([0x62, 0x01, 0x40 | 21, 0x01]);
    const out = run(d, [
      [ap, false, 0],
      [fuStart, false, 0],
      [fuEnd, true, 0],
    ]);
    expect(out).toHaveLength(1);
    expect(out[0]!.isKey).toBe(true);
    expect(hex(out[0]!)).toEqual([VPS, HSPS, HPPS, CRA].map((n) => Buffer.from(n).toString('hex')));
  });

  it('seeds VPS/SPS/PPS from sprop-vps/sps/pps', () => {
    const b64 = (n: Uint8Array): string => Buffer.from(n).toString('base64');
    const d = createDepacketizer({
      encodingName: 'H265',
      clockRate: 90000,
      fmtp: { 'sprop-vps': b64(VPS), 'sprop-sps': b64(HSPS), 'sprop-pps': b64(HPPS) },
    });
    const out = run(d, [[CRA, true, 0]]);
    expect(hex(out[0]!)).toEqual([VPS, HSPS, HPPS, CRA].map((n) => Buffer.from(n).toString('hex')));
  });
});

describe('AAC depacketizer', () => {
  it('splits several AUs per packet and spaces interleaved ones by AU-Index-delta', () => {
    const d = new AacDepacketizer(
      { sizeLength: 13, indexLength: 3, indexDeltaLength: 3 },
      { clockRate: 44100, ticksPerAccessUnit: 1024 },
    );
    // Three headers (48 bits): sizes 2, 1, 3; index 0, delta 0, delta 1 (AU index 0, 1, 3).
    const header = (size: number, idx: number): number => (size << 3) | idx;
    const hdrs = [header(2, 0), header(1, 0), header(3, 1)];
    const payload = Uint8Array.from([0, 48, ...hdrs.flatMap((h) => [h >> 8, h & 0xff]), 1, 2, 3, 4, 5, 6]);
    const out = d.push(rtp(payload, true, 1000), 1000, 0);
    expect(out.map((u) => (u.kind === 'audio' ? [u.ptsTicks, Array.from(u.data)] : []))).toEqual([
      [1000, [1, 2]],
      [2024, [3]],
      [4072, [4, 5, 6]],
    ]);
  });

  it('drops a fragmented AU when a fragment is lost', () => {
    const d = createDepacketizer({
      encodingName: 'mpeg4-generic',
      clockRate: 48000,
      fmtp: { sizelength: '13', indexlength: '3', indexdeltalength: '3' },
    });
    const frag = (bytes: number[]): Uint8Array => Uint8Array.from([0, 16, 0, 4 << 3, ...bytes]);
    expect(d.push(rtp(frag([1, 2]), false, 0), 0, 0)).toEqual([]);
    expect(d.push(rtp(frag([3, 4]), true, 0), 0, 1)).toEqual([]);
    expect(d.push(rtp(frag([5, 6]), true, 0), 0, 0)).toEqual([]);
    expect(d.flush()).toEqual([]);
    expect(d.stats).toMatchObject({ droppedAccessUnits: 1, lostPackets: 1, accessUnits: 0 });
    const whole = Uint8Array.from([0, 16, 0, 2 << 3, 7, 8]);
    expect(d.push(rtp(whole, true, 1024), 1024, 0)).toHaveLength(1);
  });

  it('refuses codecs it cannot depacketize', () => {
    expect(() => createDepacketizer({ encodingName: 'VP8', clockRate: 90000, fmtp: {} })).toThrow(
      expect.objectContaining({ code: ERR_CODEC_UNSUPPORTED }),
    );
  });
});

describe('depacketizers under fuzzing', () => {
  const bound = 4096;
  const tracks: TrackCodecDescription[] = [
    { encodingName: 'H264', clockRate: 90000, fmtp: {} },
    { encodingName: 'H265', clockRate: 90000, fmtp: { 'sprop-max-don-diff': '2' } },
    { encodingName: 'H265', clockRate: 90000, fmtp: {} },
    {
      encodingName: 'MPEG4-GENERIC',
      clockRate: 48000,
      fmtp: {
        sizelength: '13',
        indexlength: '3',
        indexdeltalength: '3',
        ctsdeltalength: '4',
        randomaccessindication: '1',
      },
    },
    { encodingName: 'MPEG4-GENERIC', clockRate: 16000, fmtp: { mode: 'AAC-lbr', config: '1408' } },
    { encodingName: 'PCMA', clockRate: 8000, fmtp: {} },
  ];
  // Payloads biased towards the interesting first bytes (STAP-A, FU-A, AP, FU, AU-header lengths).
  const payload = fc.oneof(
    fc.uint8Array({ maxLength: 1500 }),
    fc
      .tuple(
        fc.constantFrom(0x78, 0x7c, 0x65, 0x60, 0x62, 0x00, 0x26),
        fc.integer({ min: 0, max: 255 }),
        fc.uint8Array({ maxLength: 1500 }),
      )
      .map(([a, b, rest]) => Uint8Array.from([a, b, ...rest])),
  );
  const step = fc.record({
    payload,
    marker: fc.boolean(),
    tsStep: fc.constantFrom(0, 0, 3000),
    lost: fc.constantFrom(0, 0, 0, 1, 5),
  });

  it('never throw on push, and every emitted unit is within the size bound', () => {
    fc.assert(
      fc.property(fc.constantFrom(...tracks), fc.array(step, { maxLength: 60 }), (track, steps) => {
        const d = createDepacketizer(track, { maxAccessUnitBytes: bound });
        let ts = 0;
        const out: AccessUnit[] = [];
        for (const s of steps) {
          ts += s.tsStep;
          out.push(...d.push(rtp(s.payload, s.marker, ts), ts, s.lost));
        }
        out.push(...d.flush());
        for (const u of out) {
          const size = u.kind === 'video' ? u.nalus.reduce((n, x) => n + x.length, 0) : u.data.length;
          // Parameter sets prepended from memory may add a little above the bound.
          expect(size).toBeLessThanOrEqual(bound + 3 * 1500);
        }
        expect(d.stats.accessUnits).toBe(out.length);
      }),
      { seed: 42, numRuns: 400 },
    );
  });

  it('fmtp parsing throws only MediaError', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom(
            'sizelength',
            'indexlength',
            'config',
            'sprop-parameter-sets',
            'sprop-max-don-diff',
            'mode',
          ),
          fc.string({ maxLength: 20 }),
        ),
        fc.constantFrom('H264', 'H265', 'MPEG4-GENERIC'),
        (fmtp, encodingName) => {
          try {
            createDepacketizer({ encodingName, clockRate: 90000, fmtp });
          } catch (err) {
            if (!isMediaError(err)) throw err;
          }
        },
      ),
      { seed: 42, numRuns: 500 },
    );
  });
});
