// Test helper: a manual clock implementing SimulatorClock; advance() runs due timers in time order.
import type { SimulatorClock } from '@argus/simulator';

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

export class FakeClock implements SimulatorClock {
  private timers: Timer[] = [];
  private nextId = 1;

  constructor(public now: number) {}

  nowMs(): number {
    return this.now;
  }

  setTimeout(fn: () => void, delayMs: number): unknown {
    const t = { id: this.nextId++, at: this.now + Math.max(0, delayMs), fn };
    this.timers.push(t);
    return t.id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Moves time forward by ms, firing timers as their time comes (bounded: 100 000 firings). */
  advance(ms: number): void {
    const end = this.now + ms;
    for (let fired = 0; fired < 100_000; fired++) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (next === undefined || next.at > end) break;
      this.timers.shift();
      this.now = Math.max(this.now, next.at);
      next.fn();
    }
    this.now = end;
  }

  get pending(): number {
    return this.timers.length;
  }
}
