// Tick marks and labels of the timeline in the server's time zone: hours and minutes at local
// round times, day names at local midnight, a step chosen so labels never overlap. Pure.
import type { ZoneTime } from '../time/zone-time.js';
import { msToX, spanOf, type TimeWindow } from './timeline-scale.js';

export interface Tick {
  ms: number;
  x: number;
  label: string;
  /** Local midnight: drawn stronger, labelled with the day. */
  isDay: boolean;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
export const TICK_STEPS_MS = [
  10_000,
  15_000,
  30_000,
  MIN,
  2 * MIN,
  5 * MIN,
  10 * MIN,
  15 * MIN,
  30 * MIN,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
];

/** The smallest step whose ticks are at least `minSpacingPx` apart. */
export function tickStep(w: TimeWindow, widthPx: number, minSpacingPx = 72): number {
  const msPerPx = spanOf(w) / Math.max(1, widthPx);
  return TICK_STEPS_MS.find((s) => s / msPerPx >= minSpacingPx) ?? TICK_STEPS_MS[TICK_STEPS_MS.length - 1]!;
}

/** Local civil time as milliseconds on a UTC-like axis (so local midnights are multiples of a day). */
function localAxis(zone: ZoneTime, utcMs: number): number {
  return utcMs + zone.offsetMs(utcMs);
}

function fromLocalAxis(zone: ZoneTime, localMs: number): number {
  const d = new Date(localMs);
  return zone.toUtc({
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  });
}

export function timelineTicks(w: TimeWindow, widthPx: number, zone: ZoneTime, minSpacingPx = 72): Tick[] {
  const step = tickStep(w, widthPx, minSpacingPx);
  const localStart = localAxis(zone, w.startMs);
  const localEnd = localAxis(zone, w.endMs);
  const out: Tick[] = [];
  const seen = new Set<number>();
  // a day step counts whole local days; weeks start on Monday (1970-01-05 was a Monday)
  const dayStep = Math.max(1, Math.round(step / DAY));
  const origin = step >= 7 * DAY ? 4 * DAY : 0;
  const first = step >= DAY ? Math.ceil((localStart - origin) / DAY) * DAY + origin : localStart;
  let local = step >= DAY ? first : Math.ceil(localStart / step) * step;
  for (let i = 0; local <= localEnd && i < 2000; i++, local += step >= DAY ? DAY : step) {
    if (step >= DAY && Math.round((local - origin) / DAY) % dayStep !== 0) continue;
    const ms = fromLocalAxis(zone, local);
    if (seen.has(ms) || ms < w.startMs || ms > w.endMs) continue;
    seen.add(ms);
    const isDay = local % DAY === 0;
    out.push({
      ms,
      x: msToX(w, widthPx, ms),
      label: isDay ? zone.formatDay(ms) : zone.formatTime(ms, step < MIN),
      isDay,
    });
  }
  return out;
}
