// Login rate limiting: failures are counted per client address and per username in a sliding
// window; after a few the answer is delayed (doubling), after more the login is refused (429).
import type { Clock } from '../base/index.js';

export interface LoginThrottleOptions {
  delayAfterFailures: number;
  lockoutAfterFailures: number;
  windowMs: number;
  maxDelayMs: number;
}

export type ThrottleDecision =
  { allowed: true; delayMs: number } | { allowed: false; retryAfterSeconds: number };

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  constructor(
    private readonly clock: Clock,
    private readonly options: LoginThrottleOptions,
  ) {}

  private recent(key: string): number[] {
    const since = this.clock.monotonicMs() - this.options.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }

  /** Decides before checking the password, from the worse of the address's and the username's record. */
  check(clientIp: string, username: string): ThrottleDecision {
    const byIp = this.recent(`ip:${clientIp}`);
    const byUser = this.recent(`user:${username.toLowerCase()}`);
    const worst = byIp.length >= byUser.length ? byIp : byUser;
    const n = worst.length;
    if (n >= this.options.lockoutAfterFailures) {
      const oldest = worst[0] ?? this.clock.monotonicMs();
      const retryMs = oldest + this.options.windowMs - this.clock.monotonicMs();
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(retryMs / 1000)) };
    }
    if (n < this.options.delayAfterFailures) return { allowed: true, delayMs: 0 };
    const exponent = n - this.options.delayAfterFailures;
    return { allowed: true, delayMs: Math.min(this.options.maxDelayMs, 500 * 2 ** exponent) };
  }

  recordFailure(clientIp: string, username: string): void {
    const now = this.clock.monotonicMs();
    for (const key of [`ip:${clientIp}`, `user:${username.toLowerCase()}`])
      this.failures.set(key, [...this.recent(key), now]);
  }

  /** A successful login clears the username's record, not the address's (one host, many guesses). */
  recordSuccess(username: string): void {
    this.failures.delete(`user:${username.toLowerCase()}`);
  }

  /** Drops empty entries; called periodically so the map cannot grow without bound. */
  sweep(): void {
    for (const key of [...this.failures.keys()]) this.recent(key);
  }
}
