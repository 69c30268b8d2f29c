// The programmatic control of one simulated camera (also what the control HTTP API calls): motion
// on demand or by schedule, digital inputs, faults, and a view of its state and events for tests.
import { MediaError } from '@argus/media';
import type { CameraEvent, CameraEventListener } from '../camera/camera-events.js';
import { parseFaultSpec, type ActiveFault, type FaultType } from '../camera/fault-model.js';
import {
  validateMotionSchedule,
  type MotionSchedule,
  type MotionWindow,
} from '../camera/motion-controller.js';
import { OVERLAY_ENABLED, OVERLAY_TEXT } from '../camera/param-store.js';
import type { PtzStatus } from '../camera/ptz-state.js';
import type { SimulatedCamera, SimulatedCameraInfo } from '../camera/simulated-camera.js';
import { ERR_SIM_OPTIONS } from '../simulator-errors.js';

export interface CameraStateSnapshot {
  name: string;
  /** False while a reboot fault holds the ports closed. */
  up: boolean;
  motion: boolean;
  motionSchedule: MotionSchedule | null;
  inputs: boolean[];
  outputs: boolean[];
  overlay: { enabled: boolean; text: string };
  ptz?: PtzStatus;
  faults: ActiveFault[];
  /** Sum of timestamp-jump and timestamp-repeat faults applied to RTP timestamps. */
  timestampOffsetMs: number;
  rtspSubscribers: number;
  lastEventSeq: number;
}

export class CameraControl {
  constructor(private readonly camera: SimulatedCamera) {}

  get name(): string {
    return this.camera.identity.name;
  }

  info(): SimulatedCameraInfo {
    return this.camera.info();
  }

  /** Motion on/off from the next GOP boundary; returns the wall time (ms) it takes effect. */
  setMotion(on: boolean): number {
    return this.camera.motion.request(on);
  }

  isMotion(): boolean {
    return this.camera.motion.isOn();
  }

  setMotionSchedule(schedule: MotionSchedule | null): void {
    if (schedule !== null) {
      const problem = validateMotionSchedule(schedule);
      if (problem !== undefined) throw new MediaError(ERR_SIM_OPTIONS, `motion schedule: ${problem}`);
    }
    this.camera.motion.setSchedule(schedule);
  }

  /** Motion windows (wall ms) up to untilMs (default now), oldest first. */
  motionWindows(untilMs?: number): MotionWindow[] {
    return this.camera.motion.windows(untilMs);
  }

  /** port is 1-based (Axis numbering: inputs are ports 1..N). */
  setInput(port: number, active: boolean): void {
    if (!this.camera.io.setInput(port - 1, active)) {
      throw new MediaError(ERR_SIM_OPTIONS, `camera ${this.name} has no input ${port}`);
    }
  }

  /** Validates and injects a fault (see FaultSpec). */
  fault(spec: unknown): ActiveFault {
    return this.camera.faults.inject(parseFaultSpec(spec));
  }

  clearFaults(type?: FaultType): void {
    this.camera.faults.clear(type);
  }

  /** Events with seq > afterSeq still in the camera's history. */
  events(afterSeq = 0): CameraEvent[] {
    return this.camera.events.since(afterSeq);
  }

  onEvent(listener: CameraEventListener): () => void {
    return this.camera.events.subscribe(listener);
  }

  state(): CameraStateSnapshot {
    const c = this.camera;
    const snapshot: CameraStateSnapshot = {
      name: this.name,
      up: c.up,
      motion: c.motion.isOn(),
      motionSchedule: c.motion.getSchedule(),
      inputs: c.io.inputStates(),
      outputs: c.io.outputStates(),
      overlay: { enabled: c.params.get(OVERLAY_ENABLED) === 'yes', text: c.params.get(OVERLAY_TEXT) ?? '' },
      faults: c.faults.list(),
      timestampOffsetMs: c.faults.timestampOffsetMs,
      rtspSubscribers: c.streamer.subscriberCount,
      lastEventSeq: c.events.lastSeq,
    };
    if (c.ptz !== undefined) snapshot.ptz = c.ptz.status();
    return snapshot;
  }
}
