// Faults a simulated camera can be told to show, for reliability tests of clients. Some act once
// (drop, reboot, timestamp jumps); the rest hold until cleared or until their durationMs elapses.
import { MediaError } from '@argus/media';
import type { SimulatorClock } from '../simulator-clock.js';
import { ERR_SIM_FAULT } from '../simulator-errors.js';

export type FaultScope = 'rtsp' | 'http' | 'all';

export type FaultSpec =
  /** Close every open connection (RTSP and HTTP) now; new ones are accepted. */
  | { type: 'drop'; scope?: FaultScope }
  /** Accept connections but send nothing; media of open sessions stops too. */
  | { type: 'stall'; scope?: FaultScope; durationMs?: number }
  /** All ports closed for durationMs, then the camera comes back (open sessions are lost). */
  | { type: 'reboot'; durationMs: number }
  /** The main stream switches to 640x360 at the next keyframe, until cleared or durationMs. */
  | { type: 'resolution'; durationMs?: number }
  /** RTP timestamps of every stream jump forward by deltaMs (permanently, like a camera clock step). */
  | { type: 'timestamp-jump'; deltaMs: number }
  /** RTP timestamps go back by deltaMs, so values already sent are sent again. */
  | { type: 'timestamp-repeat'; deltaMs: number }
  /** The camera's password changes; the known credentials are refused until cleared or durationMs. */
  | { type: 'wrong-credentials'; durationMs?: number }
  /** Every connection's outgoing bytes trickle at bytesPerSecond (default 2000). */
  | { type: 'drip'; scope?: FaultScope; bytesPerSecond?: number; durationMs?: number };

export type FaultType = FaultSpec['type'];

export interface ActiveFault {
  id: number;
  spec: FaultSpec;
  sinceMs: number;
  untilMs?: number;
}

export const FAULT_TYPES: readonly FaultType[] = [
  'drop',
  'stall',
  'reboot',
  'resolution',
  'timestamp-jump',
  'timestamp-repeat',
  'wrong-credentials',
  'drip',
];

const MAX_DURATION_MS = 24 * 3600_000;

function bad(message: string): never {
  throw new MediaError(ERR_SIM_FAULT, message);
}

function checkDuration(value: unknown, required: boolean): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_DURATION_MS) {
    bad('durationMs must be an integer from 1 to 86400000');
  }
}

/** Validates an untrusted fault description (control API, scenario file). */
export function parseFaultSpec(input: unknown): FaultSpec {
  if (typeof input !== 'object' || input === null) bad('a fault must be an object');
  const o = input as Record<string, unknown>;
  const type = o['type'];
  if (typeof type !== 'string' || !(FAULT_TYPES as readonly string[]).includes(type)) {
    bad(`fault type must be one of ${FAULT_TYPES.join(', ')}`);
  }
  const scope = o['scope'];
  if (scope !== undefined && scope !== 'rtsp' && scope !== 'http' && scope !== 'all') {
    bad('scope must be rtsp, http or all');
  }
  checkDuration(o['durationMs'], type === 'reboot');
  if (type === 'timestamp-jump' || type === 'timestamp-repeat') {
    const d = o['deltaMs'];
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 1 || d > MAX_DURATION_MS) {
      bad('deltaMs must be an integer from 1 to 86400000');
    }
  }
  if (type === 'drip') {
    const b = o['bytesPerSecond'];
    if (b !== undefined && (typeof b !== 'number' || !Number.isInteger(b) || b < 1 || b > 10_000_000)) {
      bad('bytesPerSecond must be an integer from 1 to 10000000');
    }
  }
  return { ...o, type } as FaultSpec;
}

function scopeCovers(scope: FaultScope | undefined, what: 'rtsp' | 'http'): boolean {
  return scope === undefined || scope === 'all' || scope === what;
}

export interface FaultHooks {
  /** Called when a fault starts (after it was recorded) and when a held fault ends. */
  onStart(fault: ActiveFault): void;
  onEnd(fault: ActiveFault): void;
}

/** The faults currently held by one camera, and the queries the servers make on every connection. */
export class FaultState {
  private readonly active = new Map<number, { fault: ActiveFault; timer: unknown }>();
  private nextId = 1;
  /** Sum of timestamp jumps and repeats, in ms, applied to every RTP timestamp. */
  timestampOffsetMs = 0;

  constructor(
    private readonly clock: SimulatorClock,
    private readonly hooks: FaultHooks,
  ) {}

  inject(spec: FaultSpec): ActiveFault {
    const now = this.clock.nowMs();
    const fault: ActiveFault = { id: this.nextId++, spec, sinceMs: now };
    if (spec.type === 'timestamp-jump') this.timestampOffsetMs += spec.deltaMs;
    if (spec.type === 'timestamp-repeat') this.timestampOffsetMs -= spec.deltaMs;
    const held = spec.type !== 'drop' && spec.type !== 'timestamp-jump' && spec.type !== 'timestamp-repeat';
    if (held) {
      const durationMs = 'durationMs' in spec ? spec.durationMs : undefined;
      let timer: unknown;
      if (durationMs !== undefined) {
        fault.untilMs = now + durationMs;
        timer = this.clock.setTimeout(() => this.end(fault.id), durationMs);
      }
      this.active.set(fault.id, { fault, timer });
    }
    this.hooks.onStart(fault);
    return fault;
  }

  private end(id: number): void {
    const entry = this.active.get(id);
    if (entry === undefined) return;
    this.clock.clearTimeout(entry.timer);
    this.active.delete(id);
    this.hooks.onEnd(entry.fault);
  }

  /** Ends every held fault (the timestamp offset stays: the stream keeps its new timeline). */
  clear(type?: FaultType): void {
    for (const { fault } of [...this.active.values()])
      if (type === undefined || fault.spec.type === type) this.end(fault.id);
  }

  list(): ActiveFault[] {
    return [...this.active.values()].map((e) => e.fault);
  }

  private find<T extends FaultType>(type: T): Extract<FaultSpec, { type: T }>[] {
    return this.list()
      .map((f) => f.spec)
      .filter((s): s is Extract<FaultSpec, { type: T }> => s.type === type);
  }

  isStalled(what: 'rtsp' | 'http'): boolean {
    return this.find('stall').some((s) => scopeCovers(s.scope, what));
  }

  /** Bytes per second outgoing data is limited to, or undefined when not dripping. */
  dripBytesPerSecond(what: 'rtsp' | 'http'): number | undefined {
    const drips = this.find('drip').filter((s) => scopeCovers(s.scope, what));
    if (drips.length === 0) return undefined;
    return Math.min(...drips.map((s) => s.bytesPerSecond ?? 2000));
  }

  isRebooting(): boolean {
    return this.find('reboot').length > 0;
  }

  lowResolution(): boolean {
    return this.find('resolution').length > 0;
  }

  wrongCredentials(): boolean {
    return this.find('wrong-credentials').length > 0;
  }

  /** Stops every timer without calling hooks (simulator closing). */
  dispose(): void {
    for (const { timer } of this.active.values()) this.clock.clearTimeout(timer);
    this.active.clear();
  }
}

export { scopeCovers };
