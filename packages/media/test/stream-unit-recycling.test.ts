// Reuse of access-unit memory: a pipeline whose releasesUnits() says the consumer copies what it
// keeps lets the depacketizer write the next units over the last ones; recordToFmp4 is
// such a consumer, and an RtspMediaStream reuses memory only while every listener is one.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { VideoAccessUnit } from '../src/access-unit.js';
import { createPacketizer } from '../src/codec/index.js';
import { readMp4 } from '../src/mp4/index.js';
import { createRtspServer, type RtspServerMount, type RtspServerTrack } from '../src/rtsp/index.js';
import {
  MediaTrackPipeline,
  openRtspStream,
  recordToFmp4,
  type Fmp4Sink,
  type StreamAccessUnit,
} from '../src/stream/index.js';

const b64 = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'base64'));
const SPS = b64('Z01AKNoB4AiflwEQAAADABAAAAMDIPGDKg==');
const PPS = b64('aO88gA==');
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Pictures with slices of `sizes` bytes (a pattern per picture); a key picture every 10. */
function pictures(sizes: number[]): VideoAccessUnit[] {
  return sizes.map((size, i) => {
    const slice = new Uint8Array(size).map((_, k) => (i * 7 + k) & 0xff);
    slice[0] = i % 10 === 0 ? 0x65 : 0x41;
    return {
      kind: 'video',
      codec: 'h264',
      pts90k: 90_000 + i * 3600,
      isKey: i % 10 === 0,
      nalus: i % 10 === 0 ? [SPS, PPS, slice] : [slice],
    };
  });
}

function packets(units: VideoAccessUnit[]): Uint8Array[][] {
  const packetizer = createPacketizer('h264', { ssrc: 5, payloadType: 96, initialSequenceNumber: 100 });
  return units.map((u) => packetizer.packetize(u));
}

const TRACK = {
  mediaType: 'video',
  encodingName: 'H264',
  clockRate: 90000,
  fmtp: { 'packetization-mode': '1' },
};

/**
 * Runs the pictures through a transient pipeline; `copy` makes the consumer copy and release.
 * Without `markers` a unit ends only when the next one starts (its first packet already parsed).
 */
function run(
  units: VideoAccessUnit[],
  copy: boolean,
  markers = true,
): { copies: string[][]; kept: StreamAccessUnit[] } {
  const copies: string[][] = [];
  const kept: StreamAccessUnit[] = [];
  const pipeline = new MediaTrackPipeline({
    trackIndex: 0,
    track: TRACK,
    transientPackets: true,
    onAccessUnit: (u) => {
      kept.push(u);
      if (u.accessUnit.kind === 'video') copies.push(u.accessUnit.nalus.map(hex));
    },
    releasesUnits: () => copy,
  });
  const reused = new Uint8Array(2000);
  for (const list of packets(units)) {
    for (const p of list) {
      reused.set(p);
      if (!markers) reused[1] = reused[1]! & 0x7f;
      pipeline.pushRtp(reused.subarray(0, p.length), 0);
      reused.fill(0xee);
    }
  }
  pipeline.end(0);
  return { copies, kept };
}

describe('access-unit memory reuse', () => {
  it('a copying consumer sees every unit whole, and the memory really is reused', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 50, max: 90_000 }), { minLength: 12, maxLength: 40 }),
        fc.boolean(),
        (sizes, markers) => {
          const units = pictures(sizes);
          const sent = units.map((u) => u.nalus.map(hex));
          const reused = run(units, true, markers);
          expect(reused.copies).toEqual(sent);
          const plain = run(units, false);
          expect(plain.kept.map((u) => (u.accessUnit as VideoAccessUnit).nalus.map(hex))).toEqual(sent);
          // Units ended by their marker are reused (several slabs' worth of data here): slices live
          // in fewer buffers, and early views were written over.
          if (!markers || sizes.reduce((a, b) => a + b, 0) < 300_000) return;
          const slices = (r: typeof reused): Set<ArrayBufferLike> =>
            new Set(r.kept.map((u) => (u.accessUnit as VideoAccessUnit).nalus.at(-1)!.buffer));
          expect(slices(reused).size).toBeLessThan(slices(plain).size);
          const late = reused.kept.map((u) => (u.accessUnit as VideoAccessUnit).nalus.map(hex));
          expect(late).not.toEqual(sent);
        },
      ),
      { seed: 42, numRuns: 30 },
    );
  });
});

describe('RtspMediaStream reuses unit memory only for copying listeners', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function serve(units: VideoAccessUnit[]): Promise<string> {
    const lists = packets(units);
    const tracks: RtspServerTrack[] = [{ ...TRACK, mediaType: 'video', payloadType: 96 }];
    const mount: RtspServerMount = {
      tracks,
      subscribe(onPacket) {
        let i = 0;
        const timer = setInterval(() => {
          if (i < lists.length) for (const p of lists[i++]!) onPacket(0, p);
        }, 2);
        return () => clearInterval(timer);
      },
    };
    // 30 pictures (~1.5 MB) go out in 60 ms: a buffer above that keeps a slow, loaded client from
    // losing packets to the server's drop policy (a lost picture is not what this test is about).
    const server = await createRtspServer({
      host: '127.0.0.1',
      port: 0,
      resolveMount: () => mount,
      maxSocketBufferBytes: 16 << 20,
    });
    cleanups.push(() => server.close());
    return `rtsp://127.0.0.1:${server.port}/cam`;
  }

  async function record(url: string, count: number, extraListener: boolean) {
    const stream = openRtspStream(url, { timeoutMs: 3000 });
    cleanups.push(() => stream.close());
    const chunks: Uint8Array[] = [];
    const sink: Fmp4Sink = { write: async (b) => void chunks.push(b.slice()) };
    const recording = recordToFmp4(stream, sink, { fragmentDurationMs: 200, fsync: 'none' });
    const seen: { unit: VideoAccessUnit; atArrival: string[] }[] = [];
    if (extraListener) {
      stream.on('accessUnit', (u) => {
        const au = u.accessUnit as VideoAccessUnit;
        seen.push({ unit: au, atArrival: au.nalus.map(hex) });
      });
    }
    await stream.ready;
    const deadline = Date.now() + 10_000;
    while (stream.stats.accessUnits < count && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    await recording.stop();
    await stream.close();
    return { file: readMp4(Buffer.concat(chunks)), seen };
  }

  it('recordToFmp4 alone: the file holds every picture byte for byte', async () => {
    const units = pictures(Array.from({ length: 30 }, (_, i) => 20_000 + ((i * 7919) % 60_000)));
    const { file } = await record(await serve(units), units.length, false);
    const samples = file.fragments.flatMap((f) => f.samples);
    expect(samples.length).toBe(units.length);
    samples.forEach((s, i) => {
      const slice = units[i]!.nalus.at(-1)!;
      expect(hex(s.data.subarray(s.data.length - slice.length))).toBe(hex(slice));
    });
  });

  it('with another listener, units it keeps stay intact', async () => {
    const units = pictures(Array.from({ length: 30 }, (_, i) => 20_000 + ((i * 104_729) % 60_000)));
    const { seen, file } = await record(await serve(units), units.length, true);
    expect(seen.length).toBe(units.length);
    for (const s of seen) expect(s.unit.nalus.map(hex)).toEqual(s.atArrival);
    expect(file.fragments.flatMap((f) => f.samples).length).toBe(units.length);
  });
});
