// Packets read into a reused buffer (RTSP over TCP, socket onread): with transientFrames the RTSP
// parser hands out views that die with the callback, and with copyPayloads the depacketizers keep
// copies. Whatever overwrites the buffers afterwards, the output equals the safe-to-keep path.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccessUnit } from '../src/access-unit.js';
import { createDepacketizer, type TrackCodecDescription } from '../src/codec/index.js';
import { buildInterleavedFrame, RtspStreamParser } from '../src/rtsp/index.js';
import { parseRtpPacket, type RtpPacket } from '../src/rtp/index.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/codec/${name}`, import.meta.url));

function readRfc4571(name: string): Uint8Array[] {
  const bytes = fixture(name);
  const out: Uint8Array[] = [];
  for (let i = 0; i + 2 <= bytes.length;) {
    const len = bytes.readUInt16BE(i);
    out.push(new Uint8Array(bytes.subarray(i + 2, i + 2 + len)));
    i += 2 + len;
  }
  return out;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Frames the parser emits for `stream` cut at `cuts`; each chunk is copied into one reused buffer. */
function parseFrames(stream: Uint8Array, cuts: number[], transient: boolean): string[] {
  const frames: string[] = [];
  const kept: Uint8Array[] = [];
  const parser = new RtspStreamParser({
    onMessage: () => undefined,
    onInterleaved: (channel, data) => {
      frames.push(`${channel}:${hex(data)}`);
      if (!transient) kept.push(data);
    },
    transientFrames: transient,
  });
  const reused = new Uint8Array(stream.length);
  const points = [...new Set(cuts.map((c) => c % (stream.length + 1))), stream.length].sort((a, b) => a - b);
  let last = 0;
  for (const p of points) {
    const chunk = reused.subarray(0, p - last);
    chunk.set(stream.subarray(last, p));
    parser.push(transient ? chunk : chunk.slice());
    chunk.fill(0xee); // the socket reuses its buffer for the next read
    last = p;
  }
  // Safe-to-keep frames are still intact after everything else happened.
  if (!transient) expect(kept.map((d) => hex(d))).toEqual(frames.map((f) => f.slice(f.indexOf(':') + 1)));
  return frames;
}

const TRACKS: Record<string, TrackCodecDescription> = {
  'gst-h264.rtp4571': { encodingName: 'H264', clockRate: 90000, fmtp: {} },
  'gst-h264-stap.rtp4571': { encodingName: 'H264', clockRate: 90000, fmtp: {} },
  'gst-h265.rtp4571': { encodingName: 'H265', clockRate: 90000, fmtp: {} },
  'gst-aac.rtp4571': {
    encodingName: 'MPEG4-GENERIC',
    clockRate: 48000,
    fmtp: { mode: 'AAC-hbr', sizelength: '13', indexlength: '3', indexdeltalength: '3' },
  },
  g711: { encodingName: 'PCMU', clockRate: 8000, fmtp: {} },
};

function g711Packets(): Uint8Array[] {
  return Array.from({ length: 20 }, (_, i) => {
    const p = new Uint8Array(12 + 160).fill(i);
    p.set([0x80, 0, 0, i, 0, 0, (i * 160) >> 8, (i * 160) & 0xff, 0, 0, 0, 9]);
    return p;
  });
}

/** Units from the packets; with copyPayloads each packet's bytes are destroyed right after push. */
function depacketize(name: string, copyPayloads: boolean): string[] {
  const d = createDepacketizer(TRACKS[name]!, { copyPayloads });
  const units: AccessUnit[] = [];
  const packets = name === 'g711' ? g711Packets() : readRfc4571(name);
  for (const bytes of packets) {
    const buffer = bytes.slice();
    const packet: RtpPacket = parseRtpPacket(buffer);
    units.push(...d.push(packet, packet.timestamp, 0));
    if (copyPayloads) buffer.fill(0xee);
  }
  units.push(...d.flush());
  return units.map((u) => (u.kind === 'video' ? u.nalus.map(hex).join(',') : hex(u.data)));
}

describe('transient packets', () => {
  it('the parser gives the same frames from a reused read buffer as from kept chunks, for any split', () => {
    const payload = fc.uint8Array({ minLength: 0, maxLength: 1500 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(3), payload), { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 25 }),
        (frames, cuts) => {
          const parts = frames.map(([ch, data]) => buildInterleavedFrame(ch, data));
          const stream = Uint8Array.from(parts.flatMap((p) => [...p]));
          const expected = frames.map(([ch, data]) => `${ch}:${hex(data)}`);
          expect(parseFrames(stream, cuts, false)).toEqual(expected);
          expect(parseFrames(stream, cuts, true)).toEqual(expected);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  for (const name of Object.keys(TRACKS)) {
    it(`${name}: copyPayloads units survive the packet buffers being overwritten`, () => {
      const safe = depacketize(name, false);
      expect(safe.length).toBeGreaterThan(0);
      expect(depacketize(name, true)).toEqual(safe);
    });
  }
});
