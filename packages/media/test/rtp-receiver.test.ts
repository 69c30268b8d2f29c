// RtpReceiver: sequence/timestamp extension across wraps, reorder window, loss/duplicate/late
// counters, restarts, SR wall-time mapping and RR blocks; RTP header and extension fuzzing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildRtpPacket,
  parseExtensionElements,
  parseOnvifReplayExtension,
  parseRtcpCompound,
  parseRtpPacket,
  RtpReceiver,
  buildSenderReport,
  type RtpPacket,
  type ReceivedRtpPacket,
} from '../src/rtp/index.js';
import { isMediaError } from '../src/media-error.js';
import { testRtpPacket } from './rtp-test-packets.js';

const pkt = testRtpPacket;

function feed(rx: RtpReceiver, packets: RtpPacket[]): ReceivedRtpPacket[] {
  return packets.flatMap((p) => rx.push(p));
}

describe('RtpReceiver', () => {
  it('extends sequence and timestamp across 16/32-bit wraps', () => {
    const rx = new RtpReceiver({ clockRate: 90000 });
    const packets = Array.from({ length: 20 }, (_, i) => pkt(65530 + i, 0xffffff00 + i * 3000));
    const out = feed(rx, packets);
    expect(out.map((o) => o.extendedSequence)).toEqual(packets.map((_, i) => 65530 + i));
    expect(out.map((o) => o.extendedTimestamp)).toEqual(packets.map((_, i) => 0xffffff00 + i * 3000));
    expect(out.every((o) => o.lostBefore === 0)).toBe(true);
    expect(rx.stats).toMatchObject({ received: 20, lost: 0 });
  });

  it('reports loss immediately with no window and counts late arrivals', () => {
    const rx = new RtpReceiver({ clockRate: 90000 });
    const out = feed(rx, [pkt(1, 0), pkt(2, 0), pkt(5, 0), pkt(3, 0), pkt(6, 0), pkt(6, 0)]);
    expect(out.map((o) => [o.extendedSequence, o.lostBefore])).toEqual([
      [1, 0],
      [2, 0],
      [5, 2],
      [6, 0],
    ]);
    expect(rx.stats).toMatchObject({ received: 4, lost: 2, late: 1, duplicate: 1 });
  });

  it('restores order within the window and declares loss when it overflows', () => {
    const rx = new RtpReceiver({ clockRate: 90000, reorderWindow: 3 });
    const out = feed(rx, [
      pkt(10, 0),
      pkt(12, 0),
      pkt(11, 0),
      pkt(14, 0),
      pkt(15, 0),
      pkt(16, 0),
      pkt(17, 0),
    ]);
    expect(out.map((o) => [o.extendedSequence, o.lostBefore])).toEqual([
      [10, 0],
      [11, 0],
      [12, 0],
      [14, 1],
      [15, 0],
      [16, 0],
      [17, 0],
    ]);
    expect(rx.stats).toMatchObject({ received: 7, lost: 1, reordered: 1 });
    rx.push(pkt(19, 0));
    expect(rx.flush().map((o) => [o.extendedSequence, o.lostBefore])).toEqual([[19, 1]]);
  });

  it('resynchronises on an SSRC change and on a confirmed sequence jump, keeping extended values monotonic', () => {
    const rx = new RtpReceiver({ clockRate: 90000 });
    const a = feed(rx, [pkt(100, 5000), pkt(101, 8000)]);
    const b = feed(rx, [pkt(7, 123, 0x9999), pkt(8, 3123, 0x9999)]);
    expect(b[0]!.lostBefore).toBeGreaterThan(0);
    expect(b[0]!.extendedSequence).toBeGreaterThan(a[1]!.extendedSequence);
    expect(b[0]!.extendedTimestamp).toBe(8001);
    expect(b[1]!.extendedTimestamp).toBe(11001);
    // A jump of 20000 is held on probation, then accepted when the next packet follows it.
    expect(rx.push(pkt(20008, 999, 0x9999))).toEqual([]);
    const c = feed(rx, [pkt(20009, 1999, 0x9999)]);
    expect(c).toHaveLength(1);
    expect(c[0]!.lostBefore).toBeGreaterThan(0);
    expect(c[0]!.extendedTimestamp).toBe(11002);
    expect(rx.stats.resyncs).toBe(2);
  });

  it('maps RTP time to wall time after a sender report and builds a report block', () => {
    const rx = new RtpReceiver({ clockRate: 90000 });
    feed(rx, [pkt(1, 0xfffff000), pkt(2, 0x00001000)]);
    expect(rx.wallTimeMs(0x1_0000_1000)).toBeUndefined();
    const wall = Date.UTC(2025, 5, 1);
    const [sr] = parseRtcpCompound(
      buildSenderReport({
        ssrc: 0x1234,
        ntpTimeMs: wall,
        rtpTimestamp: 0x00000800,
        packetCount: 2,
        octetCount: 2,
      }),
    );
    if (sr?.type !== 'sr') throw new Error('expected SR');
    rx.onSenderReport(sr, 1000);
    // 0x800 ticks after the SR point (wrapped) is 2048/90 ms later.
    expect(rx.wallTimeMs(0x1_0000_1000)!).toBeCloseTo(wall + 2048 / 90, 3);
    feed(rx, [pkt(4, 0x2000)]);
    const block = rx.reportBlock(1500);
    expect(block).toMatchObject({
      ssrc: 0x1234,
      highestSequence: 4,
      cumulativeLost: 1,
      fractionLost: 64,
      delaySinceLastSr: 32768,
    });
    expect(block!.lastSr).toBe((sr.ntpSeconds % 65536) * 65536 + (sr.ntpFraction >>> 16));
  });

  it('delivers every packet in order after shuffles within the window (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 65535 }),
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 300 }),
        fc.array(fc.nat(), { minLength: 300, maxLength: 300 }),
        (startSeq, window, tsSteps, offsets) => {
          let ts = 0xfff00000;
          const packets = tsSteps.map((step, i) => pkt(startSeq + i, (ts += step)));
          // Each packet moves by less than `window` slots: fewer than `window` packets overtake it.
          const order = packets
            .map((_, i) => ({ i, key: i + (offsets[i]! % window) + 0.5 * (offsets[i]! % 2) }))
            .sort((a, b) => a.key - b.key)
            .map((e) => e.i);
          const rx = new RtpReceiver({ clockRate: 90000, reorderWindow: window });
          const out = order.flatMap((i) => rx.push(packets[i]!)).concat(rx.flush());
          expect(out.map((o) => o.extendedSequence - startSeq)).toEqual(packets.map((_, i) => i));
          expect(out.map((o) => o.extendedTimestamp - 0xfff00000)).toEqual(
            packets.map((p) => (p.timestamp - 0xfff00000) >>> 0),
          );
          expect(rx.stats.lost).toBe(0);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('counts exactly the dropped packets as lost (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 2, maxLength: 400 }), (keep) => {
        keep[0] = true;
        keep[keep.length - 1] = true;
        const rx = new RtpReceiver({ clockRate: 8000 });
        const out = keep.flatMap((k, i) => (k ? rx.push(pkt(65000 + i, i * 160)) : []));
        expect(rx.stats.lost).toBe(keep.filter((k) => !k).length);
        expect(out.reduce((sum, o) => sum + o.lostBefore, 0)).toBe(rx.stats.lost);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe('RTP header', () => {
  it('round-trips built packets and exposes RFC 8285 and ONVIF extensions', () => {
    const built = buildRtpPacket(
      { payloadType: 97, marker: true, sequenceNumber: 65535, timestamp: 0xffffffff, ssrc: 0xdeadbeef },
      Uint8Array.of(1, 2, 3),
    );
    expect(parseRtpPacket(built)).toMatchObject({
      payloadType: 97,
      marker: true,
      sequenceNumber: 65535,
      timestamp: 0xffffffff,
      ssrc: 0xdeadbeef,
    });
    // One-byte form: id 1 len 2, padding, id 3 len 1.
    const oneByte = parseExtensionElements({
      profile: 0xbede,
      data: Uint8Array.of(0x11, 0xaa, 0xbb, 0, 0x30, 0xcc, 0, 0),
    });
    expect(oneByte.map((e) => [e.id, Array.from(e.data)])).toEqual([
      [1, [0xaa, 0xbb]],
      [3, [0xcc]],
    ]);
    const twoByte = parseExtensionElements({ profile: 0x1000, data: Uint8Array.of(5, 2, 9, 8, 0, 0, 0, 0) });
    expect(twoByte.map((e) => [e.id, Array.from(e.data)])).toEqual([[5, [9, 8]]]);
    const onvif = parseOnvifReplayExtension({
      profile: 0xabac,
      data: Uint8Array.of(0xe0, 0, 0, 0, 0x80, 0, 0, 0, 0xa0, 7, 0, 0),
    });
    expect(onvif).toMatchObject({ cleanPoint: true, end: false, discontinuity: true, cseq: 7 });
    expect(onvif!.ntpTimeMs).toBe((0xe0000000 - 2208988800) * 1000 + 500);
  });

  it('parsers throw only MediaError on arbitrary bytes', () => {
    const good = buildRtpPacket(
      { payloadType: 96, marker: false, sequenceNumber: 1, timestamp: 2, ssrc: 3 },
      new Uint8Array(20),
    );
    const mutated = fc.tuple(fc.nat(31), fc.integer({ min: 0, max: 255 }), fc.nat(32)).map(([i, v, cut]) => {
      const copy = good.slice(0, cut);
      if (i < copy.length) copy[i] = v;
      return copy;
    });
    fc.assert(
      fc.property(
        fc.oneof(mutated, fc.uint8Array({ maxLength: 80 })),
        fc.uint8Array({ maxLength: 40 }),
        fc.constantFrom(0xbede, 0x1000, 0xabac, 7),
        (bytes, ext, profile) => {
          for (const fn of [
            () => parseRtpPacket(bytes),
            () => parseExtensionElements({ profile, data: ext }),
            () => parseOnvifReplayExtension({ profile, data: ext }),
          ]) {
            try {
              fn();
            } catch (err) {
              if (!isMediaError(err)) throw err;
            }
          }
        },
      ),
      { seed: 42, numRuns: 2000 },
    );
  });
});
