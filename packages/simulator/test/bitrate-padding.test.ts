// Filler padding to a camera-like bitrate: the padding plan keeps each GOP at the target (seeded
// fast-check), filler NAL units have the H.264/H.265 syntax, identical filler packets are shared,
// the padded clips carry exactly the target, and over RTSP ffmpeg (a client we did not write) sees
// ~4000 kbit/s main and ~512 kbit/s sub, decodes with zero errors and the same picture as the clip.
import fc from 'fast-check';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMediaError } from '@argus/media';
import { startSimulator, type RunningSimulator, type SimulatedCameraInfo } from '@argus/simulator';
import { FillerPacketInterner, isFillerPacket } from '../src/media/filler-packet-interner.js';
import { fillerNalu, planPadding } from '../src/media/filler-padding.js';
import { ClipLibrary, defaultFixturesDir, videoClipFile } from '../src/media/clip-library.js';
import { rewriteRtpPackets } from '../src/media/rtp-rewrite.js';
import { resolveSimulatorOptions } from '../src/simulator-options.js';
import { run, withCredentials } from './helpers/processes.js';

describe('padding plan', () => {
  const frames = fc
    .array(fc.record({ sizeBytes: fc.integer({ min: 1, max: 60_000 }), isKey: fc.boolean() }), {
      minLength: 1,
      maxLength: 80,
    })
    .map((f) => f.map((x, i) => (i === 0 ? { ...x, isKey: true } : x)));

  it('pads every GOP to n × target (never below what it carries) and never pads below the minimum', () => {
    fc.assert(
      fc.property(frames, fc.integer({ min: 0, max: 30_000 }), fc.constantFrom(6, 7), (f, target, minPad) => {
        const pads = planPadding(f, target, minPad);
        expect(pads).toHaveLength(f.length);
        let n = 0;
        let natural = 0;
        let total = 0;
        const closeGop = (): void => {
          expect(total).toBeGreaterThanOrEqual(natural);
          if (target > 0) expect(total).toBeGreaterThan(n * target - minPad);
        };
        f.forEach((frame, i) => {
          if (frame.isKey && i > 0) closeGop();
          if (frame.isKey) [n, natural, total] = [0, 0, 0];
          const pad = pads[i]!;
          expect(pad === 0 || pad >= minPad).toBe(true);
          if (target === 0) expect(pad).toBe(0);
          n++;
          natural += frame.sizeBytes;
          total += frame.sizeBytes + pad;
          // A padded frame brings its GOP exactly to the running budget.
          if (pad > 0) expect(total).toBe(n * target);
        });
        closeGop();
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  // GOP of 5 × 1000: the 3000-byte keyframe leaves nothing to pad until the fourth frame.
  it('pays a keyframe above the target back from the next frames', () => {
    expect(
      planPadding(
        [{ sizeBytes: 3000, isKey: true }, ...Array(4).fill({ sizeBytes: 100, isKey: false })],
        1000,
        6,
      ),
    ).toEqual([0, 0, 0, 700, 900]);
  });
});

describe('filler NAL units and packets', () => {
  it('builds H.264 type 12 (nal_ref_idc 0) and H.265 FD_NUT with 0xFF bytes and trailing bits', () => {
    const h264 = fillerNalu('h264', 6);
    expect([...h264]).toEqual([0x0c, 0xff, 0xff, 0xff, 0xff, 0x80]);
    const h265 = fillerNalu('h265', 5, 1);
    expect([...h265]).toEqual([38 << 1, 0x01, 0xff, 0xff, 0x80]);
    expect([...fillerNalu('h264', 2)]).toEqual([0x0c, 0x80]);
    for (const [codec, bytes] of [
      ['h264', 1],
      ['h265', 2],
    ] as const) {
      try {
        fillerNalu(codec, bytes);
        expect.unreachable();
      } catch (err) {
        expect(isMediaError(err)).toBe(true);
      }
    }
  });

  it('shares filler packets that differ only in sequence number and timestamp, and nothing else', () => {
    const interner = new FillerPacketInterner('h264');
    const fu = (seq: number, ts: number, fuHeader: number, fill: number): Uint8Array => {
      const p = new Uint8Array(12 + 2 + 100).fill(fill);
      p.set([0x80, 96, seq >> 8, seq & 0xff, 0, 0, 0, ts, 0, 0, 0, 0, 28, fuHeader]);
      return p;
    };
    const a = fu(1, 1, 0x0c, 0xff);
    expect(interner.intern(a)).toBe(a);
    expect(interner.intern(fu(2, 9, 0x0c, 0xff))).toBe(a);
    const other = fu(3, 1, 0x0c, 0xfe); // same shape, different bytes: kept
    expect(interner.intern(other)).toBe(other);
    const slice = fu(4, 1, 0x05, 0xff); // FU-A of a slice: never shared
    expect(isFillerPacket('h264', slice)).toBe(false);
    expect(interner.intern(slice)).toBe(slice);
    expect(interner.reused).toBe(1);
  });
});

describe('send path', () => {
  it('copies a frame into one buffer with consecutive sequence numbers, leaving the templates alone', () => {
    const templates = [10, 1400, 3].map((n, i) => new Uint8Array(12 + n).fill(i + 1));
    const copies = rewriteRtpPackets(templates, 0xfffe, 0x01020304, 0xa0b0c0d0);
    expect(copies.map((p) => p.readUInt16BE(2))).toEqual([0xfffe, 0xffff, 0]);
    for (const [i, p] of copies.entries()) {
      expect(p.readUInt32BE(4)).toBe(0x01020304);
      expect(p.readUInt32BE(8)).toBe(0xa0b0c0d0);
      expect(p.subarray(12)).toEqual(Buffer.from(templates[i]!.subarray(12)));
      expect(p.buffer).toBe(copies[0]!.buffer);
      expect(templates[i]!.every((b) => b === i + 1)).toBe(true);
    }
  });
});

describe('padded clips', () => {
  const kbps = (bytes: number): number => (bytes * 8) / 60 / 1000;

  it('carry exactly the target bitrate, share filler packets, and 0 leaves the clip as encoded', async () => {
    const lib = new ClipLibrary(defaultFixturesDir(), { main: 4000, sub: 512 });
    const main = await lib.video('main', 'h264', false);
    const sub = await lib.video('sub', 'h265', true);
    expect(kbps(main.mediaBytes)).toBeCloseTo(4000, 0);
    expect(kbps(sub.mediaBytes)).toBeCloseTo(512, 0);
    expect(main.fillerBytes).toBeGreaterThan(main.mediaBytes * 0.9);
    // ~23 000 packets a minute, but the filler fragments are a few shared templates.
    const packets = main.frames.flatMap((f) => f.packets);
    expect(packets.length).toBeGreaterThan(20_000);
    expect(new Set(packets).size).toBeLessThan(4000);

    const plain = new ClipLibrary(defaultFixturesDir(), { main: 1000, sub: 0 });
    const subPlain = await plain.video('sub', 'h264', false);
    expect(subPlain.fillerBytes).toBe(0);
    expect(kbps(subPlain.mediaBytes)).toBeLessThan(100); // the clip's own ~45 kbit/s
    expect(kbps((await plain.video('main', 'h264', true)).mediaBytes)).toBeCloseTo(1000, 0);
  });

  it('validates the option', () => {
    expect(resolveSimulatorOptions({}).videoBitrateKbps).toEqual({ main: 4000, sub: 512 });
    expect(resolveSimulatorOptions({ videoBitrateKbps: { sub: 0 } }).videoBitrateKbps).toEqual({
      main: 4000,
      sub: 0,
    });
    for (const bad of [{ main: -1 }, { sub: 1.5 }, { main: 50_001 }]) {
      expect(() => resolveSimulatorOptions({ videoBitrateKbps: bad })).toThrow(/videoBitrateKbps/);
    }
  });
});

describe('over RTSP', () => {
  let sim: RunningSimulator;
  let cam: SimulatedCameraInfo;
  let dir: string;

  beforeAll(async () => {
    sim = await startSimulator({ cameras: 1, motionSchedule: null, controlApi: false });
    cam = sim.cameras[0]!;
    dir = await mkdtemp(path.join(os.tmpdir(), 'argus-sim-bitrate-'));
  });

  afterAll(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  const url = (stream: 'main' | 'sub', codec: 'h264' | 'h265'): string =>
    withCredentials(
      cam.streams.find((s) => s.stream === stream && s.codec === codec)!.rtspUrl,
      cam.user,
      cam.password,
    );
  /** Last field of each frame line of a framecrc/framemd5 file (size or md5 at index 4/5). */
  const frameLines = async (file: string): Promise<string[][]> =>
    (await readFile(file, 'utf8'))
      .split('\n')
      .filter((l) => /^\d/.test(l))
      .map((l) => l.split(',').map((x) => x.trim()));
  const kbitPerS = (lines: string[][]): number =>
    (lines.reduce((n, l) => n + Number(l[4]), 0) * 8) / (lines.length * 0.04) / 1000;

  /** Pull for `seconds`: packet sizes with -c copy, and (optionally) an md5 of every decoded frame. */
  async function pull(
    u: string,
    seconds: number,
    name: string,
    decode: boolean,
  ): Promise<{ stderr: string; sizes: string[][]; md5s: string[] }> {
    const crc = path.join(dir, `${name}.crc`);
    const md5 = path.join(dir, `${name}.md5`);
    const args = ['-v', 'error', '-rtsp_transport', 'tcp', '-i', u, '-map', '0:v', '-t', String(seconds)];
    args.push('-c', 'copy', '-f', 'framecrc', crc);
    if (decode) args.push('-map', '0:v', '-t', String(seconds), '-f', 'framemd5', md5);
    const r = await run('ffmpeg', args, (seconds + 15) * 1000);
    expect(r.code).toBe(0);
    return {
      stderr: r.stderr,
      sizes: await frameLines(crc),
      md5s: decode ? (await frameLines(md5)).map((l) => l[5]!) : [],
    };
  }

  it('main ~4000 kbit/s and sub ~512 kbit/s, zero decode errors, the picture of the clip', async () => {
    expect(cam.streams.find((s) => s.stream === 'main')!.bitrateKbps).toBe(4000);
    const [main, sub] = await Promise.all([
      pull(url('main', 'h264'), 6, 'main', true),
      pull(url('sub', 'h264'), 5, 'sub', false),
    ]);
    expect(main.stderr).toBe('');
    expect(main.sizes.length).toBeGreaterThanOrEqual(140);
    expect(Math.abs(kbitPerS(main.sizes) - 4000)).toBeLessThan(400);
    expect(sub.stderr).toBe('');
    expect(Math.abs(kbitPerS(sub.sizes) - 512)).toBeLessThan(51.2);
    // CBR-like: every frame of the main stream carries about 20 000 bytes.
    const sizes = main.sizes.map((l) => Number(l[4]));
    expect(Math.min(...sizes)).toBeGreaterThan(10_000);

    // The picture: the first keyframe decodes exactly like one of the clip's keyframes (second S),
    // and the whole first GOP like the clip's frames S·25 .. S·25+24.
    const fixture = path.join(defaultFixturesDir(), videoClipFile('main', 'h264', false));
    const keys = await run(
      'ffmpeg',
      ['-v', 'error', '-skip_frame', 'nokey', '-i', fixture, '-f', 'framemd5', '-'],
      30_000,
    );
    const keyMd5s = keys.stdout
      .split('\n')
      .filter((l) => /^\d/.test(l))
      .map((l) => l.split(',')[5]!.trim());
    expect(keyMd5s).toHaveLength(60);
    const second = keyMd5s.indexOf(main.md5s[0]!);
    expect(second).toBeGreaterThanOrEqual(0);
    const gop = await run(
      'ffmpeg',
      ['-v', 'error', '-ss', String(second), '-i', fixture, '-frames:v', '25', '-f', 'framemd5', '-'],
      30_000,
    );
    const gopMd5s = gop.stdout
      .split('\n')
      .filter((l) => /^\d/.test(l))
      .map((l) => l.split(',')[5]!.trim());
    expect(gopMd5s).toHaveLength(25);
    expect(main.md5s.slice(0, 25)).toEqual(gopMd5s);
  }, 30_000);

  it('H.265 main with FD_NUT filler: ~4000 kbit/s and zero decode errors', async () => {
    const h265 = await pull(url('main', 'h265'), 3, 'h265', true);
    expect(h265.stderr).toBe('');
    expect(h265.md5s.length).toBeGreaterThanOrEqual(70);
    expect(Math.abs(kbitPerS(h265.sizes) - 4000)).toBeLessThan(400);
  }, 20_000);
});
