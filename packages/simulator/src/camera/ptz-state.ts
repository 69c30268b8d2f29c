// Pan/tilt/zoom of a simulated PTZ camera in ONVIF generic spaces (ONVIF PTZ Service §5.7):
// pan and tilt in [-1, 1], zoom in [0, 1]. Moves are integrated lazily from the clock, so there is
// no timer per camera; continuous moves stop at their timeout, absolute moves at their target.
import type { SimulatorClock } from '../simulator-clock.js';

export interface PtzVector {
  pan: number;
  tilt: number;
  zoom: number;
}

export interface PtzPreset {
  token: string;
  name: string;
  position: PtzVector;
}

export interface PtzStatus {
  position: PtzVector;
  panTiltMoving: boolean;
  zoomMoving: boolean;
  utcMs: number;
}

/** Speed of a full-speed move in generic units per second. */
export const PTZ_FULL_SPEED_PER_S = 1;
export const MAX_PTZ_PRESETS = 100;

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

function clampPosition(p: PtzVector): PtzVector {
  return { pan: clamp(p.pan, -1, 1), tilt: clamp(p.tilt, -1, 1), zoom: clamp(p.zoom, 0, 1) };
}

type Motion =
  | { kind: 'idle' }
  | { kind: 'continuous'; velocity: PtzVector; untilMs: number }
  | { kind: 'absolute'; target: PtzVector; speed: PtzVector };

export class PtzState {
  private position: PtzVector = { pan: 0, tilt: 0, zoom: 0 };
  private motion: Motion = { kind: 'idle' };
  private updatedMs: number;
  private readonly presets = new Map<string, PtzPreset>();
  private nextPresetId = 1;

  constructor(private readonly clock: SimulatorClock) {
    this.updatedMs = clock.nowMs();
  }

  private advance(): void {
    const now = this.clock.nowMs();
    const m = this.motion;
    if (m.kind === 'continuous') {
      const end = Math.min(now, m.untilMs);
      const dtS = Math.max(0, end - this.updatedMs) / 1000;
      this.position = clampPosition({
        pan: this.position.pan + m.velocity.pan * dtS,
        tilt: this.position.tilt + m.velocity.tilt * dtS,
        zoom: this.position.zoom + m.velocity.zoom * dtS,
      });
      if (now >= m.untilMs) this.motion = { kind: 'idle' };
    } else if (m.kind === 'absolute') {
      const dtS = Math.max(0, now - this.updatedMs) / 1000;
      const step = (from: number, to: number, speed: number): number => {
        const d = to - from;
        const max = Math.abs(speed) * dtS;
        return Math.abs(d) <= max ? to : from + Math.sign(d) * max;
      };
      this.position = {
        pan: step(this.position.pan, m.target.pan, m.speed.pan),
        tilt: step(this.position.tilt, m.target.tilt, m.speed.tilt),
        zoom: step(this.position.zoom, m.target.zoom, m.speed.zoom),
      };
      const p = this.position;
      if (p.pan === m.target.pan && p.tilt === m.target.tilt && p.zoom === m.target.zoom)
        this.motion = { kind: 'idle' };
    }
    this.updatedMs = now;
  }

  status(): PtzStatus {
    this.advance();
    const m = this.motion;
    let panTiltMoving = false;
    let zoomMoving = false;
    if (m.kind === 'continuous') {
      panTiltMoving = m.velocity.pan !== 0 || m.velocity.tilt !== 0;
      zoomMoving = m.velocity.zoom !== 0;
    } else if (m.kind === 'absolute') {
      panTiltMoving = this.position.pan !== m.target.pan || this.position.tilt !== m.target.tilt;
      zoomMoving = this.position.zoom !== m.target.zoom;
    }
    return { position: { ...this.position }, panTiltMoving, zoomMoving, utcMs: this.updatedMs };
  }

  /** Velocity in [-1, 1] per axis (zoom too); timeoutMs bounds the move (default 10 s). */
  continuousMove(velocity: PtzVector, timeoutMs = 10_000): void {
    this.advance();
    const v = {
      pan: clamp(velocity.pan, -1, 1) * PTZ_FULL_SPEED_PER_S,
      tilt: clamp(velocity.tilt, -1, 1) * PTZ_FULL_SPEED_PER_S,
      zoom: clamp(velocity.zoom, -1, 1) * PTZ_FULL_SPEED_PER_S,
    };
    this.motion = { kind: 'continuous', velocity: v, untilMs: this.updatedMs + Math.max(0, timeoutMs) };
  }

  absoluteMove(target: Partial<PtzVector>, speed?: Partial<PtzVector>): void {
    this.advance();
    const t = clampPosition({ ...this.position, ...target });
    const s = {
      pan: clamp(Math.abs(speed?.pan ?? 1), 0.01, 1) * PTZ_FULL_SPEED_PER_S,
      tilt: clamp(Math.abs(speed?.tilt ?? 1), 0.01, 1) * PTZ_FULL_SPEED_PER_S,
      zoom: clamp(Math.abs(speed?.zoom ?? 1), 0.01, 1) * PTZ_FULL_SPEED_PER_S,
    };
    this.motion = { kind: 'absolute', target: t, speed: s };
  }

  relativeMove(delta: Partial<PtzVector>, speed?: Partial<PtzVector>): void {
    this.advance();
    const p = this.position;
    this.absoluteMove(
      { pan: p.pan + (delta.pan ?? 0), tilt: p.tilt + (delta.tilt ?? 0), zoom: p.zoom + (delta.zoom ?? 0) },
      speed,
    );
  }

  stop(): void {
    this.advance();
    this.motion = { kind: 'idle' };
  }

  listPresets(): PtzPreset[] {
    return [...this.presets.values()].map((p) => ({ ...p, position: { ...p.position } }));
  }

  /** Stores the current position; returns the token, or undefined when the table is full. */
  setPreset(name: string, token?: string): string | undefined {
    this.advance();
    const existing = token !== undefined ? this.presets.get(token) : undefined;
    if (existing === undefined && this.presets.size >= MAX_PTZ_PRESETS) return undefined;
    const t = existing?.token ?? token ?? `preset_${this.nextPresetId++}`;
    this.presets.set(t, { token: t, name, position: { ...this.position } });
    return t;
  }

  removePreset(token: string): boolean {
    return this.presets.delete(token);
  }

  /** Returns false for an unknown token. */
  gotoPreset(token: string, speed?: Partial<PtzVector>): boolean {
    const preset = this.presets.get(token);
    if (preset === undefined) return false;
    this.absoluteMove(preset.position, speed);
    return true;
  }
}
