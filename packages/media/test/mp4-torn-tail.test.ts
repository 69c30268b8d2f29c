// Crash recovery: a recording cut at any byte reads back as exactly the whole fragments before the
// cut, with the torn tail reported (never thrown), both for the whole-file reader and the
// incremental stream reader fed in arbitrary chunks.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Fmp4StreamReader,
  isMediaError,
  readMp4,
  type Mp4FragmentInfo,
  type Mp4ReadResult,
} from '@argus/media';

const load = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(fileURLToPath(new URL(`./fixtures/mp4/${name}`, import.meta.url))));

const summary = (fs: readonly Mp4FragmentInfo[]): Array<[number, number, number, number]> =>
  fs.map((f) => [f.sequenceNumber, f.startByte, f.endByte, f.samples.length]);

/** Cut offsets: every byte near a box or fragment boundary, and every `stride`-th byte elsewhere. */
function cuts(file: Uint8Array, full: Mp4ReadResult, stride: number): number[] {
  const marks = new Set<number>([0, full.initEndByte, file.length]);
  for (const f of full.fragments) for (const m of [f.startByte, f.moofByte, f.endByte]) marks.add(m);
  const out = new Set<number>();
  for (const m of marks)
    for (let d = -20; d <= 20; d++) if (m + d >= 0 && m + d <= file.length) out.add(m + d);
  for (let c = 0; c <= file.length; c += stride) out.add(c);
  return [...out].sort((a, b) => a - b);
}

function expectCut(cut: number, r: Mp4ReadResult, full: Mp4ReadResult): void {
  if (cut < full.initEndByte) {
    expect(r.tracks).toEqual([]);
    expect(r.fragments).toEqual([]);
    expect(r.tornTailAtByte).toBe(cut === 0 ? undefined : 0);
    return;
  }
  const whole = full.fragments.filter((f) => f.endByte <= cut);
  expect(summary(r.fragments)).toEqual(summary(whole));
  expect(r.samples.length).toBe(whole.reduce((a, f) => a + f.samples.length, 0));
  const lastEnd = whole.at(-1)?.endByte ?? full.initEndByte;
  // A whole trailing box (ffmpeg's mfra) also counts as complete.
  const expectedEnd = cut === full.lastCompleteFragmentEnd ? cut : lastEnd;
  expect(r.lastCompleteFragmentEnd).toBe(expectedEnd);
  expect(r.tornTailAtByte).toBe(cut > expectedEnd ? expectedEnd : undefined);
  if (r.tornTailAtByte !== undefined) expect(r.tornTailReason).toBe('truncated');
}

describe.each(['argus-h264-aac.mp4', 'h264-aac-frag.mp4', 'h265-aac-frag.mp4'])('%s cut anywhere', (name) => {
  const file = load(name);
  const full = readMp4(file);
  // Our own recording format is cut at every single byte; ffmpeg's files more sparsely.
  const stride = name.startsWith('argus') ? 1 : 13;

  it('whole-file reader returns exactly the whole fragments before the cut', () => {
    expect(full.fragments.length).toBeGreaterThanOrEqual(3);
    for (const cut of cuts(file, full, stride)) {
      const r = readMp4(file.subarray(0, cut));
      expectCut(cut, r, full);
    }
  });

  it('stream reader fed in random chunks agrees with the whole-file reader', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: file.length }),
        fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 40 }),
        (cut, sizes) => {
          const reader = new Fmp4StreamReader();
          const got: Mp4FragmentInfo[] = [];
          let p = 0;
          for (let i = 0; p < cut; i++) {
            const n = Math.min(sizes[i % sizes.length]!, cut - p);
            got.push(...reader.push(file.slice(p, p + n)));
            p += n;
          }
          const end = reader.end();
          const whole = readMp4(file.subarray(0, cut));
          expect(summary(got)).toEqual(summary(whole.fragments));
          expect(end.lastCompleteFragmentEnd).toBe(whole.lastCompleteFragmentEnd);
          expect(end.tornTailAtByte).toBe(whole.tornTailAtByte);
          // Every sample's bytes are intact even though the reader compacted its buffer meanwhile.
          const flat = got.flatMap((f) => f.samples);
          flat.forEach((s, i) =>
            expect(Buffer.from(s.data).equals(Buffer.from(whole.samples[i]!.data))).toBe(true),
          );
        },
      ),
      { seed: 42, numRuns: 60 },
    );
  });
});

describe('stream reader skipTo', () => {
  it('reads the init, then only the fragments from an indexed offset on', () => {
    const file = load('argus-h264-aac.mp4');
    const full = readMp4(file);
    const from = full.fragments[2]!;
    const reader = new Fmp4StreamReader();
    expect(reader.push(file.subarray(0, full.initEndByte))).toEqual([]);
    expect(reader.init?.tracks.map((t) => t.config?.codec)).toEqual(['h264', 'aac']);
    reader.skipTo(from.startByte);
    const got = reader.push(file.subarray(from.startByte));
    expect(summary(got)).toEqual(summary(full.fragments.slice(2)));
    expect(got[0]!.samples.map((s) => s.dtsTicks)).toEqual(from.samples.map((s) => s.dtsTicks));
    expect(reader.end()).toEqual({ lastCompleteFragmentEnd: file.length });
    expect(() => reader.skipTo(0)).toThrow(expect.objectContaining({ code: 'ARGUS_ERR_MP4_UNSUPPORTED' }));
  });
});

describe('malformed tails', () => {
  const file = load('argus-h264-aac.mp4');
  const full = readMp4(file);
  const third = full.fragments[2]!;

  it('throws MALFORMED by default and reports it as a torn tail when asked', () => {
    const bad = file.slice();
    bad.set([0x78, 0x78, 0x78, 0x78], third.moofByte + 12); // mfhd type -> 'xxxx'
    let code = '';
    try {
      readMp4(bad);
    } catch (err) {
      code = isMediaError(err) ? err.code : 'not a MediaError';
    }
    expect(code).toBe('ARGUS_ERR_MP4_MALFORMED');
    const r = readMp4(bad, { malformedTail: 'report' });
    expect(r.fragments).toHaveLength(2);
    expect(r.tornTailAtByte).toBe(full.fragments[1]!.endByte);
    expect(r.tornTailReason).toBe('malformed');
  });

  it('reports a zero-filled tail (what a crash can leave after delayed allocation) when asked', () => {
    const padded = new Uint8Array(file.length + 4096);
    padded.set(file);
    expect(() => readMp4(padded)).toThrow(/not ASCII/);
    const r = readMp4(padded, { malformedTail: 'report' });
    expect(r.fragments).toHaveLength(full.fragments.length);
    expect(r.tornTailAtByte).toBe(file.length);
  });

  it('refuses a box larger than the stated limit without buffering it', () => {
    const reader = new Fmp4StreamReader({ maxBoxSizeBytes: 1 << 20 });
    reader.push(file.subarray(0, full.initEndByte));
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setUint32(0, 0x7fff_0000);
    huge.set([0x6d, 0x64, 0x61, 0x74], 4); // 'mdat' of ~2 GiB
    expect(() => reader.push(huge)).toThrow(expect.objectContaining({ code: 'ARGUS_ERR_MP4_BOX_TOO_LARGE' }));
    expect(reader.bufferedBytes).toBeLessThanOrEqual(16);
  });
});
