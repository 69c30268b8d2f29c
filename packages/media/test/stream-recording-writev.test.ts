// Fmp4RecordingWriter on a file descriptor (vectored writes of recycled sample memory) against the
// same writer on a plain write() sink: byte-identical files for video with B-frames and for video
// with audio, every fragment size, and ffmpeg decodes the file written with writev cleanly.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  Fmp4RecordingWriter,
  fileDescriptorSink,
  MediaTrackPipeline,
  type Fmp4RecordingOptions,
  type Fmp4Sink,
  type StreamAccessUnit,
  type TrackPipelineOptions,
} from '../src/stream/index.js';
import { ffmpegDecode } from './mp4-helpers.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/codec/${name}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'argus-writev-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function readRfc4571(name: string): Uint8Array[] {
  const bytes = readFileSync(fixture(name));
  const out: Uint8Array[] = [];
  for (let i = 0; i + 2 <= bytes.length;) {
    const len = bytes.readUInt16BE(i);
    out.push(new Uint8Array(bytes.subarray(i + 2, i + 2 + len)));
    i += 2 + len;
  }
  return out;
}

type Track = TrackPipelineOptions['track'];
const TRACKS: Record<string, Track> = {
  'gst-h264.rtp4571': { mediaType: 'video', encodingName: 'H264', clockRate: 90000, fmtp: {} },
  'gst-h265.rtp4571': { mediaType: 'video', encodingName: 'H265', clockRate: 90000, fmtp: {} },
  'gst-aac.rtp4571': {
    mediaType: 'audio',
    encodingName: 'MPEG4-GENERIC',
    clockRate: 48000,
    channels: 2,
    fmtp: {
      mode: 'AAC-hbr',
      sizelength: '13',
      indexlength: '3',
      indexdeltalength: '3',
      config: readFileSync(fixture('gst-aac.config'), 'utf8').trim(),
    },
  },
};

function units(captures: string[]): { units: StreamAccessUnit[]; pipelines: MediaTrackPipeline[] } {
  const out: StreamAccessUnit[] = [];
  const pipelines = captures.map((name, trackIndex) => {
    const p = new MediaTrackPipeline({ trackIndex, track: TRACKS[name]!, onAccessUnit: (u) => out.push(u) });
    readRfc4571(name).forEach((d) => p.pushRtp(d, 5000));
    p.end(6000);
    return p;
  });
  // Tracks interleaved by wall time (H.264 here has no B-frames); one track stays in decode order.
  return { units: pipelines.length > 1 ? out.sort((a, b) => a.wallTimeMs - b.wallTimeMs) : out, pipelines };
}

async function record(
  input: ReturnType<typeof units>,
  sink: Fmp4Sink,
  options: Fmp4RecordingOptions,
): Promise<number> {
  const tracks = input.pipelines.map((p) => ({
    trackIndex: p.trackIndex,
    config: p.config!,
    timescale: p.timescale,
  }));
  const writer = new Fmp4RecordingWriter(tracks, sink, options);
  for (const u of input.units) writer.push(u);
  return (await writer.finish()).fragments;
}

describe('recording with vectored writes', () => {
  const cases: [string, string[]][] = [
    ['H.265 with B-frames', ['gst-h265.rtp4571']],
    ['H.264 + AAC', ['gst-h264.rtp4571', 'gst-aac.rtp4571']],
  ];
  it('large pictures: recycled sample memory is not reused before its fragment is written', async () => {
    const { pipelines } = units(['gst-h264.rtp4571']);
    const info = pipelines[0]!.info;
    const big: StreamAccessUnit[] = [];
    for (let i = 0; i < 120; i++) {
      const nal = new Uint8Array(30_000 + ((i * 7919) % 40_000)).fill(i & 0xff);
      nal[0] = i % 10 === 0 ? 0x65 : 0x41;
      const accessUnit = {
        kind: 'video' as const,
        codec: 'h264' as const,
        pts90k: i * 3600,
        dts90k: i * 3600,
        isKey: i % 10 === 0,
        nalus: [nal],
      };
      big.push({ trackIndex: 0, info, accessUnit, wallTimeMs: 1000 + i * 40 });
    }
    const input = { units: big, pipelines };
    const chunks: Uint8Array[] = [];
    const options: Fmp4RecordingOptions = { fragmentDurationMs: 200, fsync: 'none' };
    await record(input, { write: async (b) => void chunks.push(b.slice()) }, options);
    const path = join(dir, 'big.mp4');
    const fd = openSync(path, 'w');
    await record(input, fileDescriptorSink(fd), options);
    closeSync(fd);
    expect(readFileSync(path).equals(Buffer.concat(chunks))).toBe(true);
  });

  for (const [name, captures] of cases) {
    it(`${name}: the file equals the one written buffer by buffer, at every fragment size`, async () => {
      const input = units(captures);
      for (const fragmentDurationMs of [40, 100, 1000]) {
        const chunks: Uint8Array[] = [];
        const plain: Fmp4Sink = { write: async (b) => void chunks.push(b.slice()) };
        const options: Fmp4RecordingOptions = { fragmentDurationMs, fsync: 'fragment' };
        const plainFragments = await record(input, plain, options);
        const path = join(dir, `${captures.length}-${fragmentDurationMs}.mp4`);
        const fd = openSync(path, 'w');
        const sink = fileDescriptorSink(fd);
        expect(sink.writev).toBeTypeOf('function');
        const fragments = await record(input, sink, options);
        closeSync(fd);
        expect(fragments).toBe(plainFragments);
        expect(readFileSync(path).equals(Buffer.concat(chunks))).toBe(true);
        expect(ffmpegDecode(path)).toEqual({ status: 0, stderr: '' });
      }
    });
  }
});
