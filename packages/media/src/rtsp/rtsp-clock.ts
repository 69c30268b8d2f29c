// Injected time source for RTSP timeouts, keep-alives and sender reports, so tests can run on a
// simulated clock. Timer functions are optional: the global timers are used when absent.
export interface RtspClock {
  /** Wall-clock milliseconds since the Unix epoch (used for receivedAtMs and RTCP NTP time). */
  nowMs(): number;
  setTimeout?(callback: () => void, delayMs: number): unknown;
  clearTimeout?(handle: unknown): void;
}

export const systemRtspClock: RtspClock = { nowMs: () => Date.now() };

export interface RtspTimers {
  nowMs(): number;
  set(callback: () => void, delayMs: number): unknown;
  clear(handle: unknown): void;
}

export function rtspTimers(clock: RtspClock | undefined): RtspTimers {
  const c = clock ?? systemRtspClock;
  return {
    nowMs: () => c.nowMs(),
    set: (callback, delayMs) =>
      c.setTimeout ? c.setTimeout(callback, delayMs) : setTimeout(callback, delayMs),
    clear: (handle) => {
      if (handle === undefined) return;
      if (c.clearTimeout) c.clearTimeout(handle);
      else clearTimeout(handle as ReturnType<typeof setTimeout>);
    },
  };
}
