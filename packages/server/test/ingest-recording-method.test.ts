// Recording method decisions, the weekly schedule in the server's time zone (overnight windows,
// DST), and the GOP pre-buffer: pure logic, checked against hand-worked cases and a fast-check model.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decideRecording,
  normalizeRecordingConfig,
  PreBuffer,
  scheduleAllows,
  scheduleProblem,
  ZonedTime,
  type RecordingMode,
} from '../src/ingest/index.js';
import { videoUnit } from './helpers/fake-source.js';

describe('weekly schedule', () => {
  const office = {
    windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const, start: '08:00', end: '18:00' }],
  };
  const night = { windows: [{ days: ['fri'] as const, start: '22:00', end: '06:00' }] };

  it('evaluates local time in the server time zone', () => {
    const sthlm = new ZonedTime('Europe/Stockholm');
    // Monday 2026-01-05 07:30 UTC = 08:30 in Stockholm (CET, UTC+1)
    const mon0730Z = Date.UTC(2026, 0, 5, 7, 30);
    expect(
      scheduleAllows(
        { windows: [...office.windows.map((w) => ({ ...w, days: [...w.days] }))] },
        sthlm,
        mon0730Z,
      ),
    ).toBe(true);
    const ny = new ZonedTime('America/New_York');
    // 02:30 in New York: outside office hours
    expect(
      scheduleAllows({ windows: office.windows.map((w) => ({ ...w, days: [...w.days] })) }, ny, mon0730Z),
    ).toBe(false);
    // Saturday is not an office day
    expect(
      scheduleAllows(
        { windows: office.windows.map((w) => ({ ...w, days: [...w.days] })) },
        sthlm,
        Date.UTC(2026, 0, 10, 10),
      ),
    ).toBe(false);
    // end is exclusive: 18:00 local = 17:00Z
    expect(
      scheduleAllows(
        { windows: office.windows.map((w) => ({ ...w, days: [...w.days] })) },
        sthlm,
        Date.UTC(2026, 0, 5, 16, 59),
      ),
    ).toBe(true);
    expect(
      scheduleAllows(
        { windows: office.windows.map((w) => ({ ...w, days: [...w.days] })) },
        sthlm,
        Date.UTC(2026, 0, 5, 17, 0),
      ),
    ).toBe(false);
  });

  it('runs a window past midnight into the next day', () => {
    const utc = new ZonedTime('UTC');
    const s = { windows: night.windows.map((w) => ({ ...w, days: [...w.days] })) };
    expect(scheduleAllows(s, utc, Date.UTC(2026, 0, 9, 23))).toBe(true); // Friday 23:00
    expect(scheduleAllows(s, utc, Date.UTC(2026, 0, 10, 5, 59))).toBe(true); // Saturday 05:59
    expect(scheduleAllows(s, utc, Date.UTC(2026, 0, 10, 6, 0))).toBe(false);
    expect(scheduleAllows(s, utc, Date.UTC(2026, 0, 10, 23))).toBe(false); // Saturday night: not listed
    expect(scheduleAllows(s, utc, Date.UTC(2026, 0, 9, 21, 59))).toBe(false);
  });

  it('follows daylight saving time (local 08:00 is 07:00Z in winter, 06:00Z in summer)', () => {
    const zone = new ZonedTime('Europe/Stockholm');
    const s = { windows: [{ days: ['mon' as const], start: '08:00', end: '09:00' }] };
    expect(scheduleAllows(s, zone, Date.UTC(2026, 0, 5, 7, 10))).toBe(true);
    expect(scheduleAllows(s, zone, Date.UTC(2026, 6, 6, 6, 10))).toBe(true);
    expect(scheduleAllows(s, zone, Date.UTC(2026, 6, 6, 7, 10))).toBe(false);
  });

  it('reports malformed windows', () => {
    expect(scheduleProblem({ windows: [{ days: [], start: '08:00', end: '09:00' }] })).toMatch(
      /days is empty/,
    );
    expect(scheduleProblem({ windows: [{ days: ['mon'], start: '24:00', end: '09:00' }] })).toMatch(/start/);
    expect(scheduleProblem({ windows: [{ days: ['mon'], start: '08:00', end: '8:00' }] })).toMatch(/end/);
    expect(scheduleProblem({ windows: [{ days: ['mon'], start: '08:00', end: '08:00' }] })).toMatch(/empty/);
    expect(scheduleProblem({ windows: [{ days: ['mon'], start: '00:00', end: '24:00' }] })).toBeUndefined();
  });

  it('an all-day window on every day allows every instant (property)', () => {
    const all = {
      windows: [
        { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as never[], start: '00:00', end: '24:00' },
      ],
    };
    const zone = new ZonedTime('Asia/Kolkata');
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) =>
        scheduleAllows(all, zone, ms),
      ),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('recording decision', () => {
  const modes: RecordingMode[] = ['continuous', 'motion', 'both', 'off'];

  it('matches the table of the manual', () => {
    const d = (mode: RecordingMode, inSchedule: boolean, motionHot: boolean, manual = false) =>
      decideRecording(mode, { manual, inSchedule, motionHot });
    expect(d('continuous', true, false)).toEqual({
      record: true,
      reason: 'continuous',
      idleCause: 'unknown',
    });
    expect(d('continuous', false, true)).toMatchObject({ record: false, idleCause: 'schedule' });
    expect(d('motion', true, false)).toMatchObject({ record: false, idleCause: 'no_motion' });
    expect(d('motion', true, true)).toMatchObject({ record: true, reason: 'motion' });
    expect(d('motion', false, true)).toMatchObject({ record: false, idleCause: 'schedule' });
    expect(d('both', false, true)).toMatchObject({ record: true, reason: 'motion' });
    expect(d('both', false, false)).toMatchObject({ record: false, idleCause: 'no_motion' });
    expect(d('both', true, false)).toMatchObject({ record: true, reason: 'continuous' });
    expect(d('off', true, true)).toMatchObject({ record: false, idleCause: 'recording_off' });
  });

  it('manual recording always records; without it, nothing records outside what the mode allows (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...modes),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (mode, inSchedule, hot, manual) => {
          const r = decideRecording(mode, { manual, inSchedule, motionHot: hot });
          if (manual) return r.record && r.reason === 'manual';
          if (mode === 'off') return !r.record;
          if (!hot && !inSchedule) return !r.record;
          if (mode === 'motion') return r.record === (hot && inSchedule);
          return r.record === (inSchedule || (mode === 'both' && hot));
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('normalizes stored settings, filling defaults', () => {
    expect(normalizeRecordingConfig({})).toEqual({
      mode: 'continuous',
      stream: 'main',
      schedule: null,
      preBufferMs: 5000,
      postBufferMs: 5000,
    });
    expect(
      normalizeRecordingConfig({ mode: 'motion', preBufferMs: 2000, postBufferMs: -1, stream: 'sub' }),
    ).toMatchObject({
      mode: 'motion',
      stream: 'sub',
      preBufferMs: 2000,
      postBufferMs: 5000,
    });
  });
});

describe('pre-buffer', () => {
  const fill = (pre: PreBuffer, seconds: number, t0: number) => {
    for (let f = 0; f < seconds * 25; f++)
      pre.push({ unit: videoUnit(f, t0 + f * 40), receivedAtMs: t0 + f * 40 });
  };

  it('keeps whole GOPs reaching at least the pre-buffer duration back', () => {
    const pre = new PreBuffer(5000);
    pre.setPrimaryTrack(0);
    const t0 = 1_000_000;
    fill(pre, 20, t0);
    const newest = t0 + (20 * 25 - 1) * 40;
    // oldest kept GOP starts at or before newest - 5 s, and at most one GOP earlier
    expect(pre.oldestWallMs).toBeLessThanOrEqual(newest - 5000);
    expect(pre.oldestWallMs).toBeGreaterThan(newest - 5000 - 1000);
    const from = pre.unitsFrom(newest - 5000);
    const first = from[0]!.unit.accessUnit;
    expect(first.kind === 'video' && first.isKey).toBe(true);
    expect(from[0]!.unit.wallTimeMs).toBeLessThanOrEqual(newest - 5000);
    expect(from.at(-1)!.unit.wallTimeMs).toBe(newest);
  });

  it('starts with a key picture: units before the first one are dropped', () => {
    const pre = new PreBuffer(5000);
    for (let f = 10; f < 30; f++) pre.push({ unit: videoUnit(f, f * 40), receivedAtMs: f * 40 });
    const units = pre.unitsFrom(0);
    expect(units.length).toBe(5);
    expect(units[0]!.unit.accessUnit).toMatchObject({ isKey: true });
  });

  it('with no pre-buffer keeps only the current GOP, and respects the byte cap', () => {
    const pre = new PreBuffer(0);
    fill(pre, 4, 0);
    expect(pre.unitsFrom(Number.MAX_SAFE_INTEGER).length).toBe(25);
    const capped = new PreBuffer(60_000, 30_000);
    fill(capped, 10, 0);
    expect(capped.byteLength).toBeLessThanOrEqual(30_000 + 25_000);
    expect(capped.unitsFrom(0)[0]!.unit.accessUnit).toMatchObject({ isKey: true });
  });
});
