// Maps a run's media time (RTP-derived, 90 kHz) to wall time (90 kHz since the Unix epoch): anchored
// once to the host clock when the run starts, then slewed toward the host clock by at most
// maxSlewPpm, never stepped. A host clock step (wall and monotonic clocks disagree by more than
// stepThresholdMs between two observations) ends the run instead. See docs/design/time.md.
import type { Clock } from '../base/index.js';

export interface RunClockOptions {
  /** Largest rate correction, parts per million; default 1000 (3.6 s per hour). */
  maxSlewPpm?: number;
  /** Media time over which an error is corrected (before the ppm bound); default 60 s. */
  slewHorizonMs?: number;
  /** Host wall-clock jump (against the monotonic clock) that counts as a step; default 1000 ms. */
  stepThresholdMs?: number;
  /** Error against the host clock beyond which slewing is hopeless and a new run is due; default 10 s. */
  maxErrorMs?: number;
}

export type RunClockObservation =
  | { kind: 'ok'; wall90k: number; errorMs: number }
  /** The host clock stepped by stepMs: end the run and start a new one anchored afresh. */
  | { kind: 'step'; stepMs: number }
  /** Media and host time drifted apart by errorMs (camera clock broken or reset): new run. */
  | { kind: 'drift'; errorMs: number };

export class RunClock {
  readonly startWall90k: number;
  private baseMedia90k: number;
  private baseWall90k: number;
  private ratePpm = 0;
  private lastHostMs: number;
  private lastMonoMs: number;
  private readonly maxSlewPpm: number;
  private readonly horizon90k: number;
  private readonly stepThresholdMs: number;
  private readonly maxErrorMs: number;

  /** Anchors media time `firstMedia90k` to host time `anchorMs` (default now: when the unit arrived). */
  constructor(
    private readonly clock: Clock,
    firstMedia90k: number,
    options: RunClockOptions = {},
    anchorMs = clock.nowMs(),
  ) {
    this.maxSlewPpm = options.maxSlewPpm ?? 1000;
    this.horizon90k = (options.slewHorizonMs ?? 60_000) * 90;
    this.stepThresholdMs = options.stepThresholdMs ?? 1000;
    this.maxErrorMs = options.maxErrorMs ?? 10_000;
    this.lastHostMs = clock.nowMs();
    this.lastMonoMs = clock.monotonicMs();
    this.baseMedia90k = firstMedia90k;
    this.baseWall90k = Math.round(anchorMs * 90);
    this.startWall90k = this.baseWall90k;
  }

  /** Current rate correction in ppm (positive: wall time runs faster than media time). */
  get slewPpm(): number {
    return this.ratePpm;
  }

  /** Wall time of `media90k` (at or after the last observation) without observing the host. */
  project(media90k: number): number {
    const dm = Math.max(0, media90k - this.baseMedia90k);
    return Math.round(this.baseWall90k + dm * (1 + this.ratePpm / 1e6));
  }

  /**
   * Maps the access unit at `media90k` (non-decreasing) to wall time, slewing toward `arrivedAtMs`
   * (host time it arrived; default now). Step detection compares the host clock with the monotonic
   * clock at each call, whatever `arrivedAtMs` is.
   */
  observe(media90k: number, arrivedAtMs?: number): RunClockObservation {
    const nowMs = this.clock.nowMs();
    const monoMs = this.clock.monotonicMs();
    const stepMs = nowMs - this.lastHostMs - (monoMs - this.lastMonoMs);
    if (Math.abs(stepMs) > this.stepThresholdMs) return { kind: 'step', stepMs };
    this.lastHostMs = nowMs;
    this.lastMonoMs = monoMs;
    const hostMs = arrivedAtMs ?? nowMs;
    const dm = Math.max(0, media90k - this.baseMedia90k);
    const predicted = this.baseWall90k + dm * (1 + this.ratePpm / 1e6);
    const error90k = hostMs * 90 - predicted;
    const errorMs = error90k / 90;
    if (Math.abs(errorMs) > this.maxErrorMs) return { kind: 'drift', errorMs };
    const wanted = (error90k / this.horizon90k) * 1e6;
    this.ratePpm = Math.max(-this.maxSlewPpm, Math.min(this.maxSlewPpm, wanted));
    this.baseMedia90k += dm;
    this.baseWall90k = predicted;
    return { kind: 'ok', wall90k: Math.round(predicted), errorMs };
  }
}
