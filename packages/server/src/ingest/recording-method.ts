// The recording method of a camera (manual "Recording method"): continuous, on motion (the
// camera's own events, with pre- and post-buffer), both, or off; a weekly schedule limits it; a
// manual start from the API overrides everything until stopped. Pure decision logic.
import type { GapCause } from '../db/index.js';
import { scheduleProblem, type WeeklySchedule } from './recording-schedule.js';

/**
 * continuous: record while the schedule allows (always without one).
 * motion: record around motion (pre/post buffer) while the schedule allows.
 * both: continuous while the schedule allows, and around motion at any time.
 * off: record only when started by hand.
 */
export type RecordingMode = 'continuous' | 'motion' | 'both' | 'off';
export const RECORDING_MODES: readonly RecordingMode[] = ['continuous', 'motion', 'both', 'off'];

export interface RecordingConfig {
  mode: RecordingMode;
  /** Which stream is recorded. */
  stream: 'main' | 'sub';
  schedule: WeeklySchedule | null;
  preBufferMs: number;
  postBufferMs: number;
}

export const DEFAULT_PRE_BUFFER_MS = 5000;
export const DEFAULT_POST_BUFFER_MS = 5000;
export const MAX_BUFFER_MS = 60_000;

export const defaultRecordingConfig = (): RecordingConfig => ({
  mode: 'continuous',
  stream: 'main',
  schedule: null,
  preBufferMs: DEFAULT_PRE_BUFFER_MS,
  postBufferMs: DEFAULT_POST_BUFFER_MS,
});

/** Reads a stored (possibly partial or older) config, filling defaults for what is missing. */
export function normalizeRecordingConfig(stored: Record<string, unknown> | undefined): RecordingConfig {
  const d = defaultRecordingConfig();
  const s = stored ?? {};
  const mode = RECORDING_MODES.includes(s['mode'] as RecordingMode) ? (s['mode'] as RecordingMode) : d.mode;
  const num = (v: unknown, fallback: number): number =>
    typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_BUFFER_MS ? v : fallback;
  const schedule = s['schedule'];
  return {
    mode,
    stream: s['stream'] === 'sub' ? 'sub' : 'main',
    schedule:
      typeof schedule === 'object' && schedule !== null && Array.isArray((schedule as WeeklySchedule).windows)
        ? (schedule as WeeklySchedule)
        : null,
    preBufferMs: num(s['preBufferMs'], d.preBufferMs),
    postBufferMs: num(s['postBufferMs'], d.postBufferMs),
  };
}

/** A problem with a config (for a validation error), or undefined. */
export function recordingConfigProblem(c: RecordingConfig): string | undefined {
  if (c.schedule) {
    const p = scheduleProblem(c.schedule);
    if (p) return `recording.schedule: ${p}`;
  }
  return undefined;
}

export interface RecordingInputs {
  manual: boolean;
  /** The schedule allows recording now (true without a schedule). */
  inSchedule: boolean;
  /** Motion is on, or ended less than postBufferMs ago. */
  motionHot: boolean;
}

export type RecordingReason = 'manual' | 'continuous' | 'motion';

export interface RecordingDecision {
  record: boolean;
  reason: RecordingReason | null;
  /** When not recording: the cause the gap in the index gets. */
  idleCause: GapCause;
}

export function decideRecording(mode: RecordingMode, inputs: RecordingInputs): RecordingDecision {
  const { manual, inSchedule, motionHot } = inputs;
  if (manual) return { record: true, reason: 'manual', idleCause: 'unknown' };
  const continuous = (mode === 'continuous' || mode === 'both') && inSchedule;
  if (continuous) return { record: true, reason: 'continuous', idleCause: 'unknown' };
  const motion = motionHot && ((mode === 'motion' && inSchedule) || mode === 'both');
  if (motion) return { record: true, reason: 'motion', idleCause: 'unknown' };
  const idleCause: GapCause =
    mode === 'off'
      ? 'recording_off'
      : mode === 'continuous' || (mode === 'motion' && !inSchedule)
        ? 'schedule'
        : 'no_motion';
  return { record: false, reason: null, idleCause };
}
