// Reconnect delays of a stream socket: quick first retries so a server restart is barely seen,
// then exponential up to a ceiling, with jitter so a wall of 16 tiles does not reconnect in step.

export interface BackoffOptions {
  firstMs?: number;
  maxMs?: number;
  /** Fraction of the delay drawn at random either way (0.2 = ±20 %). */
  jitter?: number;
}

/** Delay before reconnect attempt `attempt` (0 = the first retry); `random` returns [0, 1). */
export function backoffDelayMs(attempt: number, random: () => number, options: BackoffOptions = {}): number {
  const first = options.firstMs ?? 500;
  const max = options.maxMs ?? 15_000;
  const jitter = options.jitter ?? 0.2;
  const base = Math.min(max, first * 2 ** Math.min(30, Math.max(0, attempt)));
  return Math.round(base * (1 - jitter + 2 * jitter * random()));
}
