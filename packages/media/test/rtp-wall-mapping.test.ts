// RTCP sender-report time mapping (RFC 3550 §6.4.1): 32-bit RTP timestamp wraps, the 64-bit NTP
// fixed point (fraction exact to 2^-32 s, the 2036 era wrap), mapping a time from one track's clock
// to another's (48 kHz audio onto 90 kHz video), the receiver's latest SR (also one that came
// before the first packet), and what a track pipeline attaches to the units it emits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildRtpPacket,
  buildSenderReport,
  extendRtpTimestamp,
  mapRtpTime,
  ntpDifferenceSeconds,
  parseRtcpCompound,
  RtpReceiver,
  rtpTimeToWallMs,
  type RtcpSenderReport,
  type RtpPacket,
  type RtpWallMapping,
} from '../src/rtp/index.js';
import { MediaTrackPipeline, type StreamAccessUnit } from '../src/stream/index.js';
import { testRtpPacket } from './rtp-test-packets.js';

const TWO_32 = 0x1_0000_0000;

const pkt = testRtpPacket;

function sr(ssrc: number, ntp64: bigint, rtpTimestamp: number): RtcpSenderReport {
  const [p] = parseRtcpCompound(
    buildSenderReport({ ssrc, ntp64, rtpTimestamp: rtpTimestamp >>> 0, packetCount: 1, octetCount: 1 }),
  );
  if (p?.type !== 'sr') throw new Error('expected an SR');
  return p;
}

function mapping(ntp64: bigint, rtpTime: number, clockRate: number): RtpWallMapping {
  const ntpSeconds = Number(ntp64 >> 32n);
  const ntpFraction = Number(ntp64 & 0xffffffffn);
  return {
    ssrc: 1,
    rtpTime,
    clockRate,
    ntpSeconds,
    ntpFraction,
    ntpTimeMs: (ntpSeconds - 2_208_988_800) * 1000 + (ntpFraction / TWO_32) * 1000,
    receivedAtMs: undefined,
  };
}

/** NTP 64-bit for Unix seconds plus a fraction of 2^32. */
const ntpAt = (unixSeconds: number, fraction = 0): bigint =>
  (BigInt(unixSeconds + 2_208_988_800) << 32n) | BigInt(fraction);

describe('RTP/NTP mapping math', () => {
  it('extends a 32-bit timestamp to the value nearest the reference, across wraps', () => {
    expect(extendRtpTimestamp(0x0000_0100, 0xffff_ff00)).toBe(TWO_32 + 0x100);
    expect(extendRtpTimestamp(0xffff_ff00, TWO_32 + 0x100)).toBe(0xffff_ff00);
    expect(extendRtpTimestamp(0x10, 5 * TWO_32 + 0x20)).toBe(5 * TWO_32 + 0x10);
    expect(extendRtpTimestamp(0xffff_fff0, 5 * TWO_32 + 0x20)).toBe(5 * TWO_32 - 0x10);
    // Half the range away is the limit: beyond it the nearer wrap wins.
    expect(extendRtpTimestamp(0x7fff_ffff, 0)).toBe(0x7fff_ffff);
    expect(extendRtpTimestamp(0x8000_0001, 0)).toBe(0x8000_0001 - TWO_32);
  });

  it('subtracts NTP timestamps exactly in the fraction and across the 2036 era wrap', () => {
    expect(ntpDifferenceSeconds(100, 1, 100, 0)).toBe(2 ** -32);
    expect(ntpDifferenceSeconds(100, 0, 101, 0xffff_ffff)).toBe(-2 + 2 ** -32);
    expect(ntpDifferenceSeconds(5, 0x8000_0000, 0xffff_fffe, 0)).toBe(7.5);
    expect(ntpDifferenceSeconds(0xffff_fffe, 0, 5, 0x8000_0000)).toBe(-7.5);
    // Against 64-bit integer arithmetic (BigInt), for any two timestamps within 68 years.
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }),
        (a, d) => {
          const b = (a - d + 2n ** 64n) % 2n ** 64n;
          const got = ntpDifferenceSeconds(
            Number(a >> 32n),
            Number(a & 0xffffffffn),
            Number(b >> 32n),
            Number(b & 0xffffffffn),
          );
          const want = Number(d) / 2 ** 32;
          expect(Math.abs(got - want)).toBeLessThanOrEqual(Math.abs(want) * 1e-15 + 1e-9);
        },
      ),
      { seed: 42, numRuns: 500 },
    );
  });

  it('maps a 48 kHz audio time onto the 90 kHz video clock through both SRs', () => {
    // Video SR just before its timestamp wraps, audio SR half a second later on the NTP clock.
    const t0 = 1_780_000_000;
    const video = mapping(ntpAt(t0, 0x4000_0000), 0xffff_f000, 90_000);
    const audio = mapping(ntpAt(t0, 0xc000_0000), 0x10, 48_000);
    // Audio 0.25 s after its SR = t0 + 0.75 + 0.25 s = 0.75 s after the video SR: 67 500 ticks on.
    expect(mapRtpTime(0x10 + 12_000, audio, video)).toBeCloseTo(0xffff_f000 + 67_500, 6);
    expect(mapRtpTime(0xffff_f000 + 67_500, video, audio)).toBeCloseTo(0x10 + 12_000, 6);
    expect(rtpTimeToWallMs(video, 0xffff_f000 + 67_500)).toBeCloseTo((t0 + 1) * 1000, 3);
    expect(rtpTimeToWallMs(audio, 0x10 + 12_000)).toBeCloseTo((t0 + 1) * 1000, 3);
  });

  it('round-trips between clocks and agrees with wall time (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 2n ** 63n, max: 2n ** 64n - 1n }),
        fc.integer({ min: -3_600_000_000, max: 3_600_000_000 }),
        fc.nat({ max: 0xffff_ffff }),
        fc.nat({ max: 0xffff_ffff }),
        fc.constantFrom(8000, 16_000, 44_100, 48_000),
        fc.integer({ min: -10 * 48_000, max: 10 * 48_000 }),
        (ntpV, dMicros, rtpV, rtpA, rate, offsetTicks) => {
          const ntpA = ntpV + (BigInt(dMicros) << 32n) / 1_000_000n;
          const v = mapping(ntpV, rtpV, 90_000);
          const a = mapping(ntpA, rtpA, rate);
          const t = rtpA + offsetTicks;
          const onVideo = mapRtpTime(t, a, v);
          expect(mapRtpTime(onVideo, v, a)).toBeCloseTo(t, 4);
          // The instant is the same on the shared clock (ms, up to µs-level rounding).
          const wallA = ntpDifferenceSeconds(a.ntpSeconds, a.ntpFraction, v.ntpSeconds, v.ntpFraction);
          const expectedVideo = rtpV + (wallA + offsetTicks / rate) * 90_000;
          expect(Math.abs(onVideo - expectedVideo)).toBeLessThan(1e-3);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('RtpReceiver sender report mapping', () => {
  it('gives the latest SR in the extended domain, even across a wrap', () => {
    const rx = new RtpReceiver({ clockRate: 90_000 });
    const ts: number[] = [];
    const deliver = (_p: RtpPacket, _s: number, t: number): void => void ts.push(t);
    rx.receive(pkt(1, 0xffff_f000, 7), deliver);
    rx.receive(pkt(2, 0x0000_1000, 7), deliver);
    expect(ts).toEqual([0xffff_f000, TWO_32 + 0x1000]);
    expect(rx.senderReport).toBeUndefined();
    rx.onSenderReport(sr(7, ntpAt(1_780_000_000), 0x0000_0800), 500);
    const first = rx.senderReport!;
    expect(first).toMatchObject({ ssrc: 7, rtpTime: TWO_32 + 0x800, clockRate: 90_000, receivedAtMs: 500 });
    expect(first.ntpSeconds).toBe(1_780_000_000 + 2_208_988_800);
    rx.onSenderReport(sr(7, ntpAt(1_780_000_005), 0x0000_0800 + 450_000), 5500);
    expect(rx.senderReport).not.toBe(first);
    expect(rx.senderReport!.rtpTime).toBe(TWO_32 + 0x800 + 450_000);
    // Another SSRC's report is ignored.
    rx.onSenderReport(sr(8, ntpAt(1_780_000_009), 5), 9000);
    expect(rx.senderReport!.ssrc).toBe(7);
  });

  it('extends an SR that arrived before the first packet relative to that packet', () => {
    const rx = new RtpReceiver({ clockRate: 48_000 });
    rx.onSenderReport(sr(9, ntpAt(1_780_000_000), 0xffff_ff00), 0);
    expect(rx.senderReport).toBeUndefined();
    rx.receive(pkt(1, 0x0000_0100, 9), () => undefined);
    // The packet's timestamp stays as received; the SR lies 0x200 ticks before it.
    expect(rx.senderReport!.rtpTime).toBe(0x100 - 0x200);
    expect(rx.wallTimeMs(0x100)).toBeCloseTo(1_780_000_000_000 + (0x200 * 1000) / 48_000, 3);
  });

  it('forgets the SR of a source that was replaced (SSRC change)', () => {
    const rx = new RtpReceiver({ clockRate: 90_000 });
    rx.receive(pkt(1, 1000, 7), () => undefined);
    rx.onSenderReport(sr(7, ntpAt(1_780_000_000), 1000), 0);
    expect(rx.senderReport).toBeDefined();
    rx.receive(pkt(500, 99_999, 8), () => undefined);
    expect(rx.senderReport).toBeUndefined();
    expect(rx.wallTimeMs(2000)).toBeUndefined();
  });

  it('is attached to the units a track pipeline emits', () => {
    const units: StreamAccessUnit[] = [];
    const p = new MediaTrackPipeline({
      trackIndex: 1,
      track: { mediaType: 'audio', encodingName: 'PCMU', clockRate: 8000, fmtp: {} },
      onAccessUnit: (u) => units.push(u),
    });
    const rtp = (seq: number, timestamp: number): Uint8Array =>
      buildRtpPacket(
        { payloadType: 0, marker: false, sequenceNumber: seq, timestamp, ssrc: 0x55 },
        new Uint8Array(160),
      );
    p.pushRtp(rtp(1, 0xffff_ff60), 1000);
    p.pushRtcp(
      buildSenderReport({
        ssrc: 0x55,
        ntp64: ntpAt(1_780_000_000),
        rtpTimestamp: 0,
        packetCount: 1,
        octetCount: 160,
      }),
      1010,
    );
    p.pushRtp(rtp(2, 0), 1020);
    p.pushRtp(rtp(3, 160), 1040);
    p.end(1100);
    const withSr = units.filter((u) => u.senderReport !== undefined);
    expect(withSr.length).toBeGreaterThanOrEqual(2);
    expect(p.senderReport).toBe(withSr[0]!.senderReport);
    const m = p.senderReport!;
    expect(m.rtpTime).toBe(TWO_32);
    const last = units.at(-1)!;
    if (last.accessUnit.kind !== 'audio') throw new Error('expected audio');
    expect(last.accessUnit.ptsTicks).toBe(TWO_32 + 160);
    // 160 ticks at 8 kHz after the SR instant.
    expect(last.wallTimeMs).toBeCloseTo(1_780_000_000_000 + 20, 3);
    expect(p.wallClockSource).toBe('rtcp');
  });
  it("anchors wall time before any SR at the first packet's arrival, not at its release", () => {
    const units: StreamAccessUnit[] = [];
    const p = new MediaTrackPipeline({
      trackIndex: 0,
      track: { mediaType: 'audio', encodingName: 'PCMU', clockRate: 8000, fmtp: {} },
      reorderWindow: 4,
      onAccessUnit: (u) => units.push(u),
    });
    const rtp = (seq: number, timestamp: number): Uint8Array =>
      buildRtpPacket(
        { payloadType: 0, marker: false, sequenceNumber: seq, timestamp, ssrc: 9 },
        new Uint8Array(160),
      );
    // A UDP reorder window holds the first packets until a timer releases them 200 ms later.
    p.pushRtp(rtp(1, 8000), 1000);
    p.pushRtp(rtp(2, 8160), 1020);
    expect(units).toHaveLength(0);
    p.flushReorder(1200, 150);
    p.end(1300);
    expect(units.map((u) => u.wallTimeMs)).toEqual([1000, 1020]);
    expect(units[0]!.senderReport).toBeUndefined();
    expect(p.wallClockSource).toBe('arrival');
  });
});
