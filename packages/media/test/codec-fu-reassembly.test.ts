// Fragmented NAL units (H.264 FU-A, RFC 6184 §5.8; H.265 FU, RFC 7798 §4.4.3) are reassembled into
// slabs shared by many units: every emitted NAL unit must equal what was sent and stay unchanged
// while later units (large key pictures, units damaged by loss mid-fragment) reuse the slabs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccessUnit, VideoAccessUnit, VideoCodec } from '../src/access-unit.js';
import { createDepacketizer, createPacketizer, H264Depacketizer } from '../src/codec/index.js';
import { parseRtpPacket } from '../src/rtp/index.js';

const SPS = {
  h264: Uint8Array.of(0x67, 0x42, 0xc0, 0x1e, 0xab),
  h265: Uint8Array.of(0x42, 0x01, 0x01, 0x60),
};
const PPS = { h264: Uint8Array.of(0x68, 0xce, 0x3c, 0x80), h265: Uint8Array.of(0x44, 0x01, 0xc1, 0x72) };
const VPS = Uint8Array.of(0x40, 0x01, 0x0c, 0x01);

/** A slice NAL unit of `size` bytes with a recognisable pattern derived from `seed`. */
function slice(codec: VideoCodec, key: boolean, size: number, seed: number): Uint8Array {
  const nal = new Uint8Array(size);
  for (let i = 0; i < size; i++) nal[i] = (seed * 31 + i * 7) & 0xff;
  if (codec === 'h264') nal[0] = key ? 0x65 : 0x41;
  else {
    nal[0] = (key ? 19 : 1) << 1;
    nal[1] = 0x01;
  }
  return nal;
}

function unit(codec: VideoCodec, index: number, key: boolean, sizes: number[]): VideoAccessUnit {
  const params = codec === 'h264' ? [SPS.h264, PPS.h264] : [VPS, SPS.h265, PPS.h265];
  const slices = sizes.map((s, k) => slice(codec, key, Math.max(3, s), index * 16 + k));
  return {
    kind: 'video',
    codec,
    pts90k: index * 3600,
    isKey: key,
    nalus: key ? [...params, ...slices] : slices,
  };
}

const hex = (nalus: readonly Uint8Array[]): string[] => nalus.map((n) => Buffer.from(n).toString('hex'));

/** Packetizes the units, drops the packets at `lose` (indices), depacketizes in order. */
function roundTrip(
  codec: VideoCodec,
  units: VideoAccessUnit[],
  lose: ReadonlySet<number>,
): VideoAccessUnit[] {
  const packetizer = createPacketizer(codec, { ssrc: 7, payloadType: 96 });
  const depacketizer = createDepacketizer({
    encodingName: codec === 'h264' ? 'H264' : 'H265',
    clockRate: 90000,
    fmtp: {},
  });
  const out: AccessUnit[] = [];
  let n = 0;
  let lostBefore = 0;
  for (const u of units) {
    for (const bytes of packetizer.packetize(u)) {
      if (lose.has(n++)) {
        lostBefore++;
        continue;
      }
      const packet = parseRtpPacket(bytes);
      out.push(...depacketizer.push(packet, packet.timestamp, lostBefore));
      lostBefore = 0;
    }
  }
  out.push(...depacketizer.flush());
  return out as VideoAccessUnit[];
}

describe('fragmented NAL reassembly into shared slabs', () => {
  for (const codec of ['h264', 'h265'] as const) {
    it(`${codec}: every emitted NAL unit equals the one sent and stays so (sizes up to 300 KB, loss)`, () => {
      fc.assert(
        fc.property(
          fc.array(
            fc.record({
              key: fc.boolean(),
              sizes: fc.array(
                fc.oneof(fc.integer({ min: 3, max: 3000 }), fc.integer({ min: 3, max: 300_000 })),
                {
                  minLength: 1,
                  maxLength: 3,
                },
              ),
            }),
            { minLength: 1, maxLength: 12 },
          ),
          fc.array(fc.nat(2000), { maxLength: 3 }),
          (specs, lost) => {
            const units = specs.map((s, i) => unit(codec, i, i === 0 || s.key, s.sizes));
            const got = roundTrip(codec, units, new Set(lost));
            const snapshot = got.map((u) => hex(u.nalus));
            for (const u of got) {
              const sent = units[u.pts90k / 3600]!;
              expect(hex(u.nalus)).toEqual(hex(sent.nalus));
            }
            if (lost.length === 0) expect(got).toHaveLength(units.length);
            // Nothing emitted earlier was overwritten by what the depacketizer did afterwards.
            expect(got.map((u) => hex(u.nalus))).toEqual(snapshot);
          },
        ),
        { seed: 42, numRuns: 40 },
      );
    });
  }

  it('a fragment cut by loss leaves the units before it intact and the next key whole', () => {
    const units = [
      unit('h264', 0, true, [10_000]),
      unit('h264', 1, false, [12_000]),
      unit('h264', 2, true, [5_000]),
    ];
    const kept: VideoAccessUnit[] = [];
    const packetizer = createPacketizer('h264', { ssrc: 7, payloadType: 96 });
    const d = new H264Depacketizer();
    const packets = units.map((u) => packetizer.packetize(u));
    for (const p of packets[0]!) kept.push(...(d.push(parseRtpPacket(p), 0) as VideoAccessUnit[]));
    // Unit 1 loses its middle packet: its partial NAL is abandoned and its slab space reused.
    const middle = Math.floor(packets[1]!.length / 2);
    packets[1]!.forEach((p, i) => {
      if (i !== middle)
        kept.push(...(d.push(parseRtpPacket(p), 3600, i === middle + 1 ? 1 : 0) as VideoAccessUnit[]));
    });
    for (const p of packets[2]!) kept.push(...(d.push(parseRtpPacket(p), 7200) as VideoAccessUnit[]));
    kept.push(...(d.flush() as VideoAccessUnit[]));
    expect(kept.map((u) => u.pts90k)).toEqual([0, 7200]);
    expect(hex(kept[0]!.nalus)).toEqual(hex(units[0]!.nalus));
    expect(hex(kept[1]!.nalus)).toEqual(hex(units[2]!.nalus));
    expect(d.stats).toMatchObject({ accessUnits: 2, droppedAccessUnits: 1, lostPackets: 1 });
  });
});
