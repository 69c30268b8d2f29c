// Timeline arithmetic: zoom around the pointer between one minute and eight weeks, drag, pinch,
// tick steps and labels in the server's zone, interval layout and gap hit-testing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createZoneTime } from '../src/time/zone-time.js';
import { isRecorded, layoutSpans, nextRecordedStart, spanAt } from '../src/timeline/timeline-layout.js';
import {
  MAX_SPAN_MS,
  MIN_SPAN_MS,
  centredOn,
  msToX,
  pan,
  pinch,
  resolutionFor,
  spanOf,
  wheelFactor,
  xToMs,
  zoomAt,
} from '../src/timeline/timeline-scale.js';
import { tickStep, timelineTicks } from '../src/timeline/timeline-ticks.js';

const H = 3_600_000;
const T0 = Date.UTC(2024, 2, 12, 0, 0);

describe('timeline scale', () => {
  it('maps pixels to times and back', () => {
    const w = { startMs: T0, endMs: T0 + H };
    expect(msToX(w, 600, T0 + H / 2)).toBe(300);
    expect(xToMs(w, 600, 150)).toBe(T0 + H / 4);
    expect(resolutionFor(w, 600)).toBe(6000);
  });

  it('keeps the time under the pointer in place while zooming, within the limits (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: MIN_SPAN_MS, max: MAX_SPAN_MS }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.05, max: 20, noNaN: true }),
        (span, ratio, factor) => {
          const w = { startMs: T0, endMs: T0 + span };
          const anchor = T0 + ratio * span;
          const z = zoomAt(w, factor, anchor);
          expect(spanOf(z)).toBeGreaterThanOrEqual(MIN_SPAN_MS - 1);
          expect(spanOf(z)).toBeLessThanOrEqual(MAX_SPAN_MS + 1);
          // the anchor stays at the same fraction of the width (within a millisecond of rounding)
          expect(Math.abs(xToMs(z, 1000, ratio * 1000) - anchor)).toBeLessThanOrEqual(2);
        },
      ),
      { seed: 42, numRuns: 500 },
    );
  });

  it('stops at one minute and eight weeks', () => {
    let w = centredOn(T0, H);
    for (let i = 0; i < 100; i++) w = zoomAt(w, 0.5, T0);
    expect(spanOf(w)).toBe(MIN_SPAN_MS);
    for (let i = 0; i < 100; i++) w = zoomAt(w, 2, T0);
    expect(spanOf(w)).toBe(MAX_SPAN_MS);
    expect(spanOf(centredOn(T0, 1))).toBe(MIN_SPAN_MS);
  });

  it('drags: content follows the pointer', () => {
    const w = { startMs: T0, endMs: T0 + H };
    const p = pan(w, 100, 600); // drag right by 1/6 of the width: one sixth of an hour earlier
    expect(p).toEqual({ startMs: T0 - 600_000, endMs: T0 + H - 600_000 });
  });

  it('wheel: down zooms out, up zooms in, lines and pages count as notches', () => {
    expect(wheelFactor(100, 0)).toBeGreaterThan(1.2);
    expect(wheelFactor(-100, 0)).toBeLessThan(0.85);
    expect(wheelFactor(3, 1)).toBeCloseTo(wheelFactor(99, 0), 5);
    expect(wheelFactor(1e9, 0)).toBeLessThan(4); // one event never jumps by orders of magnitude
  });

  it('pinch keeps both fingers over the times they touched', () => {
    const w = { startMs: T0, endMs: T0 + 4 * H };
    const before: [number, number] = [200, 400];
    const after: [number, number] = [100, 500];
    const z = pinch(w, 800, before, after);
    expect(spanOf(z)).toBe(2 * H);
    expect(Math.abs(xToMs(z, 800, 100) - xToMs(w, 800, 200))).toBeLessThan(2);
    expect(Math.abs(xToMs(z, 800, 500) - xToMs(w, 800, 400))).toBeLessThan(2);
  });
});

describe('timeline ticks', () => {
  const oslo = createZoneTime('Europe/Oslo');

  it('chooses a step that keeps labels apart', () => {
    expect(tickStep({ startMs: 0, endMs: 10 * 60_000 }, 1000)).toBe(60_000);
    expect(tickStep({ startMs: 0, endMs: 60_000 }, 1000)).toBe(10_000);
    expect(tickStep({ startMs: 0, endMs: 24 * H }, 1000)).toBe(2 * H);
    expect(tickStep({ startMs: 0, endMs: 56 * 24 * H }, 360)).toBe(14 * 24 * H);
  });

  it('labels local hours and local midnight in the server zone', () => {
    // 20:00 .. 04:00 Oslo time on 11/12 March (UTC+1)
    const w = { startMs: Date.UTC(2024, 2, 11, 19), endMs: Date.UTC(2024, 2, 12, 3) };
    const ticks = timelineTicks(w, 800, oslo);
    expect(ticks.map((t) => t.label)).toEqual([
      '20:00',
      '21:00',
      '22:00',
      '23:00',
      'Tue 12 Mar',
      '01:00',
      '02:00',
      '03:00',
      '04:00',
    ]);
    expect(ticks[4]).toMatchObject({ isDay: true, ms: Date.UTC(2024, 2, 11, 23) });
    expect(ticks[0]!.x).toBe(0);
    expect(ticks[8]!.x).toBe(800);
  });

  it('labels seconds when zoomed to a minute', () => {
    const w = { startMs: Date.UTC(2024, 2, 12, 13, 5, 0), endMs: Date.UTC(2024, 2, 12, 13, 6, 0) };
    expect(timelineTicks(w, 600, oslo).map((t) => t.label)).toEqual([
      '14:05:00',
      '14:05:10',
      '14:05:20',
      '14:05:30',
      '14:05:40',
      '14:05:50',
      '14:06:00',
    ]);
  });

  it('aligns to local time in a half-hour zone and skips the hour that DST removes', () => {
    const kolkata = createZoneTime('Asia/Kolkata');
    const w = { startMs: Date.UTC(2024, 2, 12, 0, 0), endMs: Date.UTC(2024, 2, 12, 8, 0) };
    const ticks = timelineTicks(w, 800, kolkata);
    expect(ticks.map((t) => t.label)).toEqual([
      '06:00',
      '07:00',
      '08:00',
      '09:00',
      '10:00',
      '11:00',
      '12:00',
      '13:00',
    ]);
    expect(ticks[0]!.ms).toBe(Date.UTC(2024, 2, 12, 0, 30));
    // 31 March in Oslo: 02:00 local does not exist
    const dst = { startMs: Date.UTC(2024, 2, 30, 23), endMs: Date.UTC(2024, 2, 31, 5) };
    const labels = timelineTicks(dst, 800, oslo).map((t) => t.label);
    expect(labels).toEqual(['Sun 31 Mar', '01:00', '03:00', '04:00', '05:00', '06:00', '07:00']);
  });

  it('labels days, and weeks on Mondays, when zoomed out', () => {
    const week = { startMs: Date.UTC(2024, 2, 10), endMs: Date.UTC(2024, 2, 17) };
    const days = timelineTicks(week, 700, oslo);
    expect(days.every((t) => t.isDay)).toBe(true);
    // the window starts at 01:00 Oslo time on Sunday: the first local midnight is Monday's
    expect(days[0]!.label).toBe('Mon 11 Mar');
    expect(days).toHaveLength(7);
    const eightWeeks = { startMs: Date.UTC(2024, 0, 1), endMs: Date.UTC(2024, 0, 1) + MAX_SPAN_MS };
    const weeks = timelineTicks(eightWeeks, 1000, oslo);
    expect(weeks.length).toBeGreaterThanOrEqual(4);
    for (const t of weeks) expect(t.label.startsWith('Mon')).toBe(true);
  });
});

describe('timeline layout', () => {
  const w = { startMs: T0, endMs: T0 + 1000_000 };

  it('clips to the view, keeps short spans visible, and merges touching pixels', () => {
    const rects = layoutSpans(
      [
        { startMs: T0 - 5000, endMs: T0 + 100_000 },
        { startMs: T0 + 100_400, endMs: T0 + 200_000 }, // 0.4 px later: joins
        { startMs: T0 + 500_000, endMs: T0 + 500_010 }, // 10 ms: drawn 2 px wide
        { startMs: T0 + 2000_000, endMs: T0 + 3000_000 }, // outside
      ],
      w,
      1000,
      2,
    );
    expect(rects.map((r) => [r.x, r.width])).toEqual([
      [0, 200],
      [500, 2],
    ]);
  });

  it('does not merge gaps of different causes, and finds the one under the pointer', () => {
    const gaps = [
      { startMs: T0, endMs: T0 + 100_000, cause: 'offline' },
      { startMs: T0 + 100_000, endMs: T0 + 200_000, cause: 'disk_full' },
    ];
    const rects = layoutSpans(gaps, w, 1000, 1, (g) => g.cause);
    expect(rects).toHaveLength(2);
    expect(spanAt(rects, 50)?.cause).toBe('offline');
    expect(spanAt(rects, 150)?.cause).toBe('disk_full');
    expect(spanAt(rects, 202)?.cause).toBe('disk_full');
    expect(spanAt(rects, 400)).toBeUndefined();
  });

  it('knows where footage is', () => {
    const rec = [
      { startMs: 10, endMs: 20 },
      { startMs: 40, endMs: 50 },
    ];
    expect(isRecorded(rec, 15)).toBe(true);
    expect(isRecorded(rec, 20)).toBe(false);
    expect(nextRecordedStart(rec, 25)).toBe(40);
    expect(nextRecordedStart(rec, 45)).toBeUndefined();
  });
});
