// Injected time source: everything that reads time takes a Clock, so tests run on a simulated one.
export interface Clock {
  /** Wall-clock milliseconds since the Unix epoch. */
  nowMs(): number;
  /** Monotonic milliseconds (never steps); for durations and timeouts. */
  monotonicMs(): number;
}

export const systemClock: Clock = {
  nowMs: () => Date.now(),
  monotonicMs: () => performance.now(),
};

/** A clock that only moves when told to; for tests of timeouts, sessions and retention. */
export class ManualClock implements Clock {
  private wallMs: number;
  private monoMs = 0;
  constructor(startWallMs = Date.UTC(2026, 0, 1)) {
    this.wallMs = startWallMs;
  }
  nowMs(): number {
    return this.wallMs;
  }
  monotonicMs(): number {
    return this.monoMs;
  }
  advance(ms: number): void {
    this.wallMs += ms;
    this.monoMs += ms;
  }
}
