// The weekly recording schedule: time windows on days of the week, in the server's time zone
// (IANA name from the server settings), e.g. Mon–Fri 08:00–18:00. A window whose end is before its
// start runs past midnight into the next day. Evaluated with Intl, so DST changes are honoured.

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface ScheduleWindow {
  days: Weekday[];
  /** "HH:MM", 00:00–23:59. */
  start: string;
  /** "HH:MM", 00:01–24:00; before start = ends the next day. */
  end: string;
}

export interface WeeklySchedule {
  windows: ScheduleWindow[];
}

const TIME_RE = /^([01]\d|2[0-4]):([0-5]\d)$/;

/** Minutes since midnight of "HH:MM", or undefined when malformed (24:00 only as an end). */
export function parseClockTime(text: string, isEnd: boolean): number | undefined {
  const m = TIME_RE.exec(text);
  if (!m) return undefined;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  if (minutes > 24 * 60 || (minutes === 24 * 60 && !isEnd)) return undefined;
  return minutes;
}

/** A problem with the schedule, for a validation error, or undefined when it is usable. */
export function scheduleProblem(schedule: WeeklySchedule): string | undefined {
  if (schedule.windows.length > 100) return 'at most 100 windows';
  for (const [i, w] of schedule.windows.entries()) {
    if (w.days.length === 0) return `windows.${i}.days is empty`;
    if (w.days.some((d) => !WEEKDAYS.includes(d))) return `windows.${i}.days has an unknown day`;
    const start = parseClockTime(w.start, false);
    const end = parseClockTime(w.end, true);
    if (start === undefined) return `windows.${i}.start must be HH:MM`;
    if (end === undefined) return `windows.${i}.end must be HH:MM (24:00 allowed)`;
    if (start === end) return `windows.${i} is empty (start equals end)`;
  }
  return undefined;
}

const WEEKDAY_OF: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

/** Local weekday (0 = Monday) and minute of the day of an instant in a time zone. */
export class ZonedTime {
  private readonly format: Intl.DateTimeFormat;

  constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
  }

  at(ms: number): { weekday: number; minute: number } {
    let weekday = 0;
    let hour = 0;
    let minute = 0;
    for (const part of this.format.formatToParts(new Date(ms))) {
      if (part.type === 'weekday') weekday = WEEKDAY_OF[part.value] ?? 0;
      else if (part.type === 'hour') hour = Number(part.value) % 24;
      else if (part.type === 'minute') minute = Number(part.value);
    }
    return { weekday, minute: hour * 60 + minute };
  }
}

/** True when the schedule allows recording at wall time `ms` in `zone`. */
export function scheduleAllows(schedule: WeeklySchedule, zone: ZonedTime, ms: number): boolean {
  const { weekday, minute } = zone.at(ms);
  const today = WEEKDAYS[weekday]!;
  const yesterday = WEEKDAYS[(weekday + 6) % 7]!;
  for (const w of schedule.windows) {
    const start = parseClockTime(w.start, false);
    const end = parseClockTime(w.end, true);
    if (start === undefined || end === undefined) continue;
    if (start < end) {
      if (w.days.includes(today) && minute >= start && minute < end) return true;
    } else {
      // Past midnight: from start to 24:00 on the listed day, then 00:00 to end the day after.
      if (w.days.includes(today) && minute >= start) return true;
      if (w.days.includes(yesterday) && minute < end) return true;
    }
  }
  return false;
}
