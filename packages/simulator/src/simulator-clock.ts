// Injected time source and timers for the simulator (pacing, motion schedule, faults, long-polls),
// so tests can run on a simulated clock. Same shape as @argus/media's RtspClock, timers required.
export interface SimulatorClock {
  /** Wall-clock milliseconds since the Unix epoch. */
  nowMs(): number;
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: SimulatorClock = {
  nowMs: () => Date.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, Math.max(0, delayMs)),
  clearTimeout: (handle) => {
    if (handle !== undefined) clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};
