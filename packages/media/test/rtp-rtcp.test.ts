// RTCP parser and builders: round trips, hand-checked bytes, and fuzzing (only MediaError escapes).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildBye,
  buildReceiverReport,
  buildRtcpCompound,
  buildSdes,
  buildSenderReport,
  ntpMiddle32,
  ntpToUnixMs,
  parseRtcpCompound,
  unixMsToNtp,
  type RtcpReportBlock,
} from '../src/rtp/index.js';
import { isMediaError } from '../src/media-error.js';

const block: RtcpReportBlock = {
  ssrc: 0x11223344,
  fractionLost: 12,
  cumulativeLost: -3,
  highestSequence: 0x0001_fffe,
  jitter: 77,
  lastSr: 0xdeadbeef,
  delaySinceLastSr: 65536,
};

describe('RTCP', () => {
  it('builds an SR with exact bytes and parses it back', () => {
    const sr = buildSenderReport({
      ssrc: 0xcafebabe,
      ntp64: (0xe000_0001n << 32n) | 0x8000_0000n,
      rtpTimestamp: 90000,
      packetCount: 10,
      octetCount: 12345,
    });
    expect(Buffer.from(sr).toString('hex')).toBe(
      '80c80006' + 'cafebabe' + 'e0000001' + '80000000' + '00015f90' + '0000000a' + '00003039',
    );
    const [p] = parseRtcpCompound(sr);
    expect(p).toMatchObject({
      type: 'sr',
      ssrc: 0xcafebabe,
      ntpSeconds: 0xe0000001,
      ntpFraction: 0x80000000,
    });
    expect(p?.type === 'sr' && p.ntpTimeMs).toBe((0xe0000001 - 2208988800) * 1000 + 500);
  });

  it('round-trips wall time through NTP within a millisecond', () => {
    const wallMs = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
    const { ntpSeconds, ntpFraction } = unixMsToNtp(wallMs);
    expect(Math.abs(ntpToUnixMs(ntpSeconds, ntpFraction) - wallMs)).toBeLessThan(0.001);
    const [sr] = parseRtcpCompound(
      buildSenderReport({ ssrc: 1, ntpTimeMs: wallMs, rtpTimestamp: 0, packetCount: 0, octetCount: 0 }),
    );
    expect(sr?.type === 'sr' && Math.round(sr.ntpTimeMs)).toBe(wallMs);
    expect(ntpMiddle32(0x12345678, 0x9abcdef0)).toBe(0x56789abc);
  });

  it('parses a compound RR + SDES + BYE with report blocks', () => {
    const compound = buildRtcpCompound([
      buildReceiverReport({ ssrc: 7, reports: [block, { ...block, ssrc: 9, cumulativeLost: 5 }] }),
      buildSdes({ ssrc: 7, cname: 'argus@host' }),
      buildBye({ ssrcs: [7, 8], reason: 'teardown' }),
    ]);
    const packets = parseRtcpCompound(compound);
    expect(packets).toEqual([
      { type: 'rr', ssrc: 7, reports: [block, { ...block, ssrc: 9, cumulativeLost: 5 }] },
      { type: 'sdes', chunks: [{ ssrc: 7, items: [{ itemType: 1, text: 'argus@host' }] }] },
      { type: 'bye', ssrcs: [7, 8], reason: 'teardown' },
    ]);
  });

  it('keeps unknown packet types raw and honours padding', () => {
    // APP packet (204) with 4-byte name and padding of 4 bytes.
    const app = Uint8Array.from([0xa1, 204, 0, 3, 0, 0, 0, 1, 0x41, 0x42, 0x43, 0x44, 0, 0, 0, 4]);
    const [p] = parseRtcpCompound(app);
    expect(p).toMatchObject({ type: 'other', packetType: 204, count: 1 });
    expect(p?.type === 'other' && Array.from(p.body)).toEqual([0, 0, 0, 1, 0x41, 0x42, 0x43, 0x44]);
  });

  it('round-trips arbitrary SR/RR fields', () => {
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    const blockArb = fc.record({
      ssrc: u32,
      fractionLost: fc.integer({ min: 0, max: 255 }),
      cumulativeLost: fc.integer({ min: -0x800000, max: 0x7fffff }),
      highestSequence: u32,
      jitter: u32,
      lastSr: u32,
      delaySinceLastSr: u32,
    });
    fc.assert(
      fc.property(
        u32,
        u32,
        u32,
        u32,
        u32,
        u32,
        fc.array(blockArb, { maxLength: 31 }),
        (ssrc, s, f, ts, pc, oc, reports) => {
          const sr = buildSenderReport({
            ssrc,
            ntp64: (BigInt(s) << 32n) | BigInt(f),
            rtpTimestamp: ts,
            packetCount: pc,
            octetCount: oc,
            reports,
          });
          const rr = buildReceiverReport({ ssrc, reports });
          const parsed = parseRtcpCompound(buildRtcpCompound([sr, rr]));
          expect(parsed[0]).toMatchObject({ ssrc, ntpSeconds: s, ntpFraction: f, rtpTimestamp: ts, reports });
          expect(parsed[1]).toEqual({ type: 'rr', ssrc, reports });
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('throws only MediaError on arbitrary bytes', () => {
    const seedPacket = buildRtcpCompound([
      buildReceiverReport({ ssrc: 1, reports: [block] }),
      buildSdes({ ssrc: 1, cname: 'x' }),
    ]);
    const mutated = fc
      .tuple(
        fc.integer({ min: 0, max: seedPacket.length - 1 }),
        fc.integer({ min: 0, max: 255 }),
        fc.nat(seedPacket.length),
      )
      .map(([i, v, cut]) => {
        const copy = seedPacket.slice(0, Math.max(4, cut));
        if (i < copy.length) copy[i] = v;
        return copy;
      });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), mutated), (bytes) => {
        try {
          parseRtcpCompound(bytes);
        } catch (err) {
          if (!isMediaError(err)) throw err;
        }
      }),
      { seed: 42, numRuns: 2000 },
    );
  });
});
