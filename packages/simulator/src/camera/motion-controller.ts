// Motion state of one camera. Changes take effect only at GOP boundaries (the clips have a keyframe
// at every whole wall-clock second), so the picture variant chosen at a keyframe and the motion
// events (stamped with that keyframe's time) always agree.
import type { SimulatorClock } from '../simulator-clock.js';

/** Motion is on while (epochMs - offsetMs) mod periodMs < durationMs. */
export interface MotionSchedule {
  periodMs: number;
  durationMs: number;
  offsetMs: number;
}

export interface MotionWindow {
  startMs: number;
  /** Absent while motion is still on. */
  endMs?: number;
}

interface Transition {
  atMs: number;
  on: boolean;
  applied: boolean;
}

/** A request is placed at least this far ahead, so the frame tick never misses it. */
const LEAD_MS = 20;
/** Schedule edges are registered this long before they happen. */
const SCHEDULE_LEAD_MS = 500;
const MAX_TRANSITIONS = 2000;

export function validateMotionSchedule(s: MotionSchedule): string | undefined {
  if (!Number.isInteger(s.periodMs) || s.periodMs < 2000) return 'periodMs must be an integer >= 2000';
  if (!Number.isInteger(s.durationMs) || s.durationMs < 1000 || s.durationMs >= s.periodMs) {
    return 'durationMs must be an integer >= 1000 and < periodMs';
  }
  if (!Number.isInteger(s.offsetMs) || s.offsetMs < 0) return 'offsetMs must be a non-negative integer';
  return undefined;
}

export class MotionController {
  private transitions: Transition[] = [];
  private applyTimer: unknown;
  private scheduleTimer: unknown;
  private schedule: MotionSchedule | null = null;
  private stopped = false;

  constructor(
    private readonly clock: SimulatorClock,
    private readonly gopMs: number,
    private readonly onChange: (on: boolean, atMs: number) => void,
  ) {}

  private ceilToGop(ms: number): number {
    return Math.ceil(ms / this.gopMs) * this.gopMs;
  }

  isOnAt(ms: number): boolean {
    let on = false;
    for (const t of this.transitions) {
      if (t.atMs > ms) break;
      on = t.on;
    }
    return on;
  }

  isOn(): boolean {
    return this.isOnAt(this.clock.nowMs());
  }

  /**
   * Asks for motion on/off from `atMs` (default now); it takes effect at the first GOP boundary at
   * or after that time (never in the past). Returns when it takes (or already took) effect.
   */
  request(on: boolean, atMs?: number): number {
    const now = this.clock.nowMs();
    const lastApplied = this.transitions.filter((t) => t.applied).at(-1);
    let boundary = this.ceilToGop(Math.max(atMs ?? now, now + LEAD_MS));
    if (lastApplied !== undefined && boundary <= lastApplied.atMs)
      boundary = this.ceilToGop(lastApplied.atMs + 1);
    this.transitions = this.transitions.filter((t) => t.applied || t.atMs < boundary);
    if (this.isOnAt(boundary) !== on) this.transitions.push({ atMs: boundary, on, applied: false });
    if (this.transitions.length > MAX_TRANSITIONS)
      this.transitions.splice(0, this.transitions.length - MAX_TRANSITIONS);
    this.armApply();
    return boundary;
  }

  private armApply(): void {
    this.clock.clearTimeout(this.applyTimer);
    this.applyTimer = undefined;
    if (this.stopped) return;
    const next = this.transitions.find((t) => !t.applied);
    if (next === undefined) return;
    this.applyTimer = this.clock.setTimeout(() => {
      this.applyTimer = undefined;
      const now = this.clock.nowMs();
      for (const t of this.transitions) {
        if (t.applied || t.atMs > now) continue;
        t.applied = true;
        this.onChange(t.on, t.atMs);
      }
      this.armApply();
    }, next.atMs - this.clock.nowMs());
  }

  getSchedule(): MotionSchedule | null {
    return this.schedule;
  }

  /** Replaces the automatic schedule (null: none); the current state follows it from the next GOP. */
  setSchedule(schedule: MotionSchedule | null): void {
    this.clock.clearTimeout(this.scheduleTimer);
    this.scheduleTimer = undefined;
    this.schedule = schedule;
    if (schedule === null || this.stopped) return;
    const now = this.clock.nowMs();
    const phase = this.phase(schedule, now);
    this.request(phase < schedule.durationMs);
    this.armSchedule(now);
  }

  private phase(s: MotionSchedule, ms: number): number {
    return (((ms - s.offsetMs) % s.periodMs) + s.periodMs) % s.periodMs;
  }

  private armSchedule(fromMs: number): void {
    const s = this.schedule;
    if (s === null || this.stopped) return;
    const phase = this.phase(s, fromMs);
    const on = phase < s.durationMs;
    const edgeMs = fromMs - phase + (on ? s.durationMs : s.periodMs);
    this.scheduleTimer = this.clock.setTimeout(
      () => {
        this.scheduleTimer = undefined;
        this.request(!on, edgeMs);
        this.armSchedule(edgeMs);
      },
      edgeMs - SCHEDULE_LEAD_MS - this.clock.nowMs(),
    );
  }

  /** Motion windows up to `untilMs` (default now; later for already scheduled ones), oldest first. */
  windows(untilMs = this.clock.nowMs()): MotionWindow[] {
    const out: MotionWindow[] = [];
    for (const t of this.transitions) {
      if (t.atMs > untilMs) break;
      const open = out.at(-1);
      if (t.on && (open === undefined || open.endMs !== undefined)) out.push({ startMs: t.atMs });
      else if (!t.on && open !== undefined && open.endMs === undefined) open.endMs = t.atMs;
    }
    return out;
  }

  stop(): void {
    this.stopped = true;
    this.clock.clearTimeout(this.applyTimer);
    this.clock.clearTimeout(this.scheduleTimer);
    this.applyTimer = undefined;
    this.scheduleTimer = undefined;
  }
}
