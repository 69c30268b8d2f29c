// Injected timers for reconnect back-off, stall detection, post-buffers and schedules, so the
// session logic runs on a simulated clock in tests (ManualTimers) and on real timers in the server.
import type { Clock } from '../base/index.js';

export interface Timers {
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  setTimeout: (callback, delayMs) => {
    const t = setTimeout(callback, Math.max(0, delayMs));
    t.unref?.();
    return t;
  },
  clearTimeout: (handle) => {
    if (handle !== undefined) clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

interface Pending {
  id: number;
  atMs: number;
  callback: () => void;
}

/**
 * Timers on a manual clock: `advance(ms)` moves the clock and fires every due timer in time order
 * (each one at its own instant). Bounded: one advance fires at most 100 000 timers.
 */
export class ManualTimers implements Timers, Clock {
  private pending: Pending[] = [];
  private nextId = 1;
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

  setTimeout(callback: () => void, delayMs: number): unknown {
    const id = this.nextId++;
    this.pending.push({ id, atMs: this.monoMs + Math.max(0, delayMs), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((p) => p.id !== handle);
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /** Moves time forward by ms, firing due timers at their instants. */
  advance(ms: number): void {
    const target = this.monoMs + ms;
    for (let fired = 0; fired < 100_000; fired++) {
      let next: Pending | undefined;
      for (const p of this.pending) if (p.atMs <= target && (!next || p.atMs < next.atMs)) next = p;
      if (!next) break;
      this.pending = this.pending.filter((p) => p !== next);
      this.wallMs += next.atMs - this.monoMs;
      this.monoMs = next.atMs;
      next.callback();
    }
    this.wallMs += target - this.monoMs;
    this.monoMs = target;
  }

  /** Moves only the wall clock (a host clock step); timers keep their monotonic schedule. */
  stepWall(ms: number): void {
    this.wallMs += ms;
  }
}
