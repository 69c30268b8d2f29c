// Wall-clock times shown in the server's IANA time zone (GET /api/v1/server timeZone), not the
// browser's: an operator compares the screen with the site's clocks. Pure; Intl does the zone rules.

export interface ZonedParts {
  year: number;
  /** 1..12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Monday .. 6 = Sunday (ISO 8601 order). */
  weekday: number;
}

export interface ZoneTime {
  readonly timeZone: string;
  /** Offset of local time from UTC at this instant (local = utc + offset). */
  offsetMs(utcMs: number): number;
  parts(utcMs: number): ZonedParts;
  /** The instant of a local wall-clock time; in a DST gap or overlap, the first matching instant. */
  toUtc(local: Omit<ZonedParts, 'weekday'> & { ms?: number }): number;
  /** Local midnight at or before the instant. */
  startOfDay(utcMs: number): number;
  /** `2024-03-12 14:05:33` */
  formatDateTime(utcMs: number): string;
  /** `14:05` or `14:05:33` */
  formatTime(utcMs: number, withSeconds?: boolean): string;
  /** `Tue 12 Mar` */
  formatDay(utcMs: number): string;
  /** `2024-03-12T14:05:33`, the value of an `<input type="datetime-local" step="1">`. */
  formatInput(utcMs: number): string;
  /** Parses `YYYY-MM-DD[T ]HH:MM[:SS]` as local time in the zone; undefined when malformed. */
  parseInput(text: string): number | undefined;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY_MS = 86_400_000;
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Throws RangeError for a zone Intl does not know. */
export function createZoneTime(timeZone: string): ZoneTime {
  const formatter = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });

  const parts = (utcMs: number): ZonedParts => {
    const out: Record<string, number> = {};
    for (const p of formatter.formatToParts(new Date(utcMs)))
      if (p.type !== 'literal') out[p.type] = Number(p.value);
    const year = out['year'] ?? 1970;
    const month = out['month'] ?? 1;
    const day = out['day'] ?? 1;
    // weekday from the civil date itself: 1970-01-01 (day 0) was a Thursday (ISO index 3)
    const civilDay = Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);
    return {
      year,
      month,
      day,
      hour: (out['hour'] ?? 0) % 24,
      minute: out['minute'] ?? 0,
      second: out['second'] ?? 0,
      weekday: (((civilDay + 3) % 7) + 7) % 7,
    };
  };

  const offsetMs = (utcMs: number): number => {
    const whole = Math.floor(utcMs / 1000) * 1000;
    const p = parts(whole);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - whole;
  };

  const toUtc: ZoneTime['toUtc'] = (l) => {
    const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second, l.ms ?? 0);
    // Two candidate offsets (before and after a transition near this time); prefer the earliest
    // instant whose local time is exactly what was asked, else (DST gap) shift by the first offset.
    const o1 = offsetMs(asUtc - DAY_MS / 2);
    const o2 = offsetMs(asUtc + DAY_MS / 2);
    const candidates = [asUtc - o1, asUtc - o2].sort((a, b) => a - b);
    for (const c of candidates) if (c + offsetMs(c) === asUtc) return c;
    return asUtc - o1;
  };

  const startOfDay = (utcMs: number): number => {
    const p = parts(utcMs);
    const midnight = toUtc({ year: p.year, month: p.month, day: p.day, hour: 0, minute: 0, second: 0 });
    return midnight <= utcMs ? midnight : midnight - DAY_MS;
  };

  const formatTime = (utcMs: number, withSeconds = false): string => {
    const p = parts(utcMs);
    return `${pad(p.hour)}:${pad(p.minute)}${withSeconds ? `:${pad(p.second)}` : ''}`;
  };

  const dateOf = (p: ZonedParts): string => `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;

  return {
    timeZone,
    offsetMs,
    parts,
    toUtc,
    startOfDay,
    formatTime,
    formatDateTime: (utcMs) => `${dateOf(parts(utcMs))} ${formatTime(utcMs, true)}`,
    formatDay: (utcMs) => {
      const p = parts(utcMs);
      return `${WEEKDAYS[p.weekday]} ${p.day} ${MONTHS[p.month - 1]}`;
    },
    formatInput: (utcMs) => `${dateOf(parts(utcMs))}T${formatTime(utcMs, true)}`,
    parseInput: (text) => {
      const m = /^\s*(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?\s*$/.exec(text);
      if (!m) return undefined;
      const [year, month, day, hour, minute, second] = m.slice(1, 7).map((v) => Number(v ?? 0)) as [
        number,
        number,
        number,
        number,
        number,
        number,
      ];
      if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59)
        return undefined;
      const ms = m[7] ? Number(m[7].padEnd(3, '0')) : 0;
      return toUtc({ year, month, day, hour, minute, second, ms });
    },
  };
}

/** `1 h 5 min`, `3 min 20 s`, `2 d 4 h`: a duration in words an operator reads at a glance. */
export function formatDuration(durationMs: number): string {
  const s = Math.max(0, Math.round(durationMs / 1000));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return sec > 0 ? `${m} min ${sec} s` : `${m} min`;
  return `${sec} s`;
}
