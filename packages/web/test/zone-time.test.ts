// Times in the server's IANA zone, independent of the zone Node runs in: formatting, parsing the
// "Go to time" input, local midnight, and the DST gap and overlap.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createZoneTime, formatDuration } from '../src/time/zone-time.js';

describe('zone time', () => {
  const oslo = createZoneTime('Europe/Oslo');
  const kolkata = createZoneTime('Asia/Kolkata');

  it('formats an instant in the given zone, not the process zone', () => {
    const t = Date.UTC(2024, 2, 12, 13, 5, 33, 900); // Tue 12 Mar 2024 13:05:33.9 UTC
    expect(oslo.formatDateTime(t)).toBe('2024-03-12 14:05:33');
    expect(kolkata.formatDateTime(t)).toBe('2024-03-12 18:35:33');
    expect(oslo.formatTime(t)).toBe('14:05');
    expect(oslo.formatDay(t)).toBe('Tue 12 Mar');
    expect(oslo.formatInput(t)).toBe('2024-03-12T14:05:33');
    expect(createZoneTime('UTC').formatDay(Date.UTC(2024, 0, 7))).toBe('Sun 7 Jan');
    expect(oslo.offsetMs(t)).toBe(3_600_000);
    expect(oslo.offsetMs(Date.UTC(2024, 6, 1))).toBe(7_200_000);
    expect(kolkata.offsetMs(t)).toBe(19_800_000);
  });

  it('parses the Go-to-time input as local time in the zone', () => {
    expect(oslo.parseInput('2024-03-12T14:05:33')).toBe(Date.UTC(2024, 2, 12, 13, 5, 33));
    expect(oslo.parseInput('2024-07-01 09:00')).toBe(Date.UTC(2024, 6, 1, 7, 0, 0));
    expect(kolkata.parseInput('2024-03-12T00:00:00.5')).toBe(Date.UTC(2024, 2, 11, 18, 30, 0, 500));
    for (const bad of ['', 'yesterday', '2024-13-01T00:00', '2024-03-12T25:00', '12/03/2024 10:00'])
      expect(oslo.parseInput(bad)).toBeUndefined();
  });

  it('resolves the DST overlap to the first instant and moves a time in the gap forward', () => {
    // 2024-10-27 02:30 happens twice in Oslo (CEST then CET)
    expect(oslo.parseInput('2024-10-27T02:30:00')).toBe(Date.UTC(2024, 9, 27, 0, 30));
    // 2024-03-31 02:30 does not exist in Oslo (clocks jump 02:00 -> 03:00)
    const inGap = oslo.parseInput('2024-03-31T02:30:00')!;
    expect(oslo.formatDateTime(inGap)).toBe('2024-03-31 03:30:00');
  });

  it('finds local midnight, also on a 23-hour day', () => {
    const t = Date.UTC(2024, 2, 31, 12, 0); // DST day in Oslo
    const midnight = oslo.startOfDay(t);
    expect(midnight).toBe(Date.UTC(2024, 2, 30, 23, 0));
    expect(oslo.startOfDay(midnight)).toBe(midnight);
    expect(oslo.startOfDay(midnight - 1)).toBe(Date.UTC(2024, 2, 29, 23, 0));
  });

  it('round-trips every instant through local parts (property)', () => {
    for (const zone of [
      oslo,
      kolkata,
      createZoneTime('America/New_York'),
      createZoneTime('Australia/Lord_Howe'),
    ]) {
      fc.assert(
        fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }), (ms) => {
          const whole = Math.floor(ms / 1000) * 1000;
          const p = zone.parts(whole);
          const back = zone.toUtc(p);
          // overlap hours map to the first instant: same local time, possibly an hour earlier
          expect(zone.formatDateTime(back)).toBe(zone.formatDateTime(whole));
          expect(whole - back === 0 || whole - back === 3_600_000 || whole - back === 1_800_000).toBe(true);
        }),
        { seed: 42, numRuns: 300 },
      );
    }
  });

  it('rejects an unknown zone', () => {
    expect(() => createZoneTime('Mars/Olympus_Mons')).toThrow(RangeError);
  });

  it('formats durations for people', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(59_400)).toBe('59 s');
    expect(formatDuration(200_000)).toBe('3 min 20 s');
    expect(formatDuration(3_600_000 + 300_000)).toBe('1 h 5 min');
    expect(formatDuration(2 * 86_400_000 + 4 * 3_600_000)).toBe('2 d 4 h');
    expect(formatDuration(7 * 86_400_000)).toBe('7 d');
  });
});
