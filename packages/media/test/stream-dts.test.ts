// Decode-time derivation for RTP video (no DTS on the wire): reorder depth read from real encoder
// SPSs (checked against ffprobe's has_b_frames), exact DTS for known GOP shapes, and a seeded
// property over random B-frame structures: DTS strictly increasing and never after the PTS.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitAnnexB } from '../src/codec/index.js';
import { DtsDeriver, h264ReorderDepth, h265ReorderDepth } from '../src/stream/index.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/codec/${name}`, import.meta.url));

function ffprobeReorder(name: string): number {
  const r = spawnSync(
    'ffprobe',
    ['-v', 'error', '-show_entries', 'stream=has_b_frames', '-of', 'csv=p=0', fixture(name)],
    {
      encoding: 'utf8',
    },
  );
  return Number(r.stdout.trim());
}

function firstSps(name: string, h265: boolean): Uint8Array {
  const nalus = splitAnnexB(new Uint8Array(readFileSync(fixture(name))));
  const sps = nalus.find((n) => (h265 ? ((n[0]! >> 1) & 0x3f) === 33 : (n[0]! & 0x1f) === 7));
  if (!sps) throw new Error(`no SPS in ${name}`);
  return sps;
}

/** Decode order of a GOP: I, then per mini-GOP the anchor P followed by its B-frames (pyramid or flat). */
function decodeOrder(miniGops: number[], pyramid: boolean): number[] {
  const out = [0];
  let base = 0;
  for (const bCount of miniGops) {
    const anchor = base + bCount + 1;
    out.push(anchor);
    const bs = Array.from({ length: bCount }, (_, i) => base + 1 + i);
    if (pyramid && bCount >= 3) {
      const mid = bs[Math.floor(bCount / 2)]!;
      out.push(mid, ...bs.filter((b) => b !== mid));
    } else out.push(...bs);
    base = anchor;
  }
  return out;
}

function trueDepth(order: number[]): number {
  let depth = 0;
  order.forEach((pts, i) => {
    const later = order.slice(0, i).filter((p) => p > pts).length;
    depth = Math.max(depth, later);
  });
  return depth;
}

describe('reorder depth from the SPS', () => {
  it.each([
    ['h264-high-320x240.h264', false],
    ['gst-h264.h264', false],
    ['h264-baseline-1920x1080.h264', false],
    ['h265-main-320x240.h265', true],
    ['gst-h265.h265', true],
  ])('%s matches ffprobe has_b_frames', (name, h265) => {
    const sps = firstSps(name, h265);
    const depth = h265 ? h265ReorderDepth(sps) : h264ReorderDepth(sps);
    expect(depth).toBe(ffprobeReorder(name));
  });

  it('gives undefined for garbage, never throws', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const a = h264ReorderDepth(Uint8Array.of(0x67, ...bytes));
        const b = h265ReorderDepth(Uint8Array.of(0x42, 0x01, ...bytes));
        for (const v of [a, b]) expect(v === undefined || (v >= 0 && v <= 16)).toBe(true);
      }),
      { seed: 42, numRuns: 2000 },
    );
  });
});

describe('DtsDeriver', () => {
  it('gives DTS = PTS without B-frames', () => {
    const d = new DtsDeriver({ reorderDepth: 0 });
    const learned = new DtsDeriver();
    for (let i = 0; i < 50; i++) {
      expect(d.push(1000 + i * 3600)).toBe(1000 + i * 3600);
      expect(learned.push(1000 + i * 3600)).toBe(1000 + i * 3600);
    }
    expect(learned.adjustments).toBe(0);
  });

  it('gives the exact shifted decode times for I P B B with a known depth of 1', () => {
    const d = new DtsDeriver({ reorderDepth: 1, frameDuration90k: 3000 });
    const pts = [0, 3, 1, 2, 6, 4, 5].map((f) => 90_000 + f * 3000);
    const dts = pts.map((p) => d.push(p));
    expect(dts).toEqual([-1, 0, 1, 2, 3, 4, 5].map((f) => 90_000 + f * 3000));
    expect(d.adjustments).toBe(0);
  });

  it('keeps DTS increasing and not after PTS over random B-frame structures', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        fc.boolean(),
        (miniGops, pyramid, announce) => {
          const order = decodeOrder(miniGops, pyramid);
          const depth = trueDepth(order);
          const d = new DtsDeriver(announce ? { reorderDepth: depth } : {});
          let last = -Infinity;
          let afterPts = 0;
          order.forEach((f) => {
            const pts = 500_000 + f * 3600;
            const dts = d.push(pts);
            expect(dts).toBeGreaterThan(last);
            if (dts > pts) afterPts++;
            last = dts;
          });
          if (announce) {
            expect(afterPts).toBe(0);
            expect(d.adjustments).toBe(0);
          } else {
            // Learning costs at most the pictures of one mini-GOP per depth step.
            expect(afterPts).toBeLessThanOrEqual(depth * 8);
          }
          expect(d.reorderDepth).toBe(depth);
        },
      ),
      { seed: 42, numRuns: 500 },
    );
  });
});
