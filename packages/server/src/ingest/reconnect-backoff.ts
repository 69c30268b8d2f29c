// Exponential back-off with jitter for camera reconnects. The n-th consecutive failure waits
// min(cap, initialMs * 2^(n-1)) times a random factor in [0.5, 1), so cameras that fail together (a
// switch reboot) do not reconnect in lock-step. The cap is small during the first fastPhaseMs of an
// outage (a refused connection costs nothing, and a camera back from a reboot is recorded within a
// GOP or so) and grows to maxMs for cameras that stay away. Random source injected for tests.

export interface BackoffOptions {
  /** Delay after the first failure, before jitter. Default 100 ms. */
  initialMs?: number;
  /** Cap during the first fastPhaseMs of an outage. Default 500 ms. */
  fastMaxMs?: number;
  /** How long an outage counts as short. Default 60 s. */
  fastPhaseMs?: number;
  /** Cap afterwards. Default 10 s. */
  maxMs?: number;
}

export class ReconnectBackoff {
  private failures = 0;
  private firstFailureMs: number | undefined;
  private readonly initialMs: number;
  private readonly fastMaxMs: number;
  private readonly fastPhaseMs: number;
  private readonly maxMs: number;

  constructor(
    options: BackoffOptions = {},
    private readonly random: () => number = Math.random,
  ) {
    this.initialMs = options.initialMs ?? 100;
    this.maxMs = options.maxMs ?? 10_000;
    this.fastMaxMs = Math.min(options.fastMaxMs ?? 500, this.maxMs);
    this.fastPhaseMs = options.fastPhaseMs ?? 60_000;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  /** Records a failure at monotonic time nowMs and returns how long to wait before the next attempt. */
  nextDelayMs(nowMs: number): number {
    this.failures++;
    this.firstFailureMs ??= nowMs;
    const cap = nowMs - this.firstFailureMs < this.fastPhaseMs ? this.fastMaxMs : this.maxMs;
    const base = Math.min(cap, this.initialMs * 2 ** Math.min(30, this.failures - 1));
    const r = Math.min(Math.max(this.random(), 0), 1);
    return Math.round(base * (0.5 + r * 0.5));
  }

  /** A connection delivered media: the next failure starts a new outage. */
  reset(): void {
    this.failures = 0;
    this.firstFailureMs = undefined;
  }
}
