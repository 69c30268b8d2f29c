// Measures the host clock's offset from the configured NTP server now and then, so
// /api/v1/server can report it ("unknown" when the server cannot be reached).
import type { Logger } from '../base/index.js';
import { querySntp } from './sntp-client.js';

export interface NtpReading {
  server: string | null;
  offsetMs: number | 'unknown';
  measuredAt: string | null;
}

export class NtpMonitor {
  private reading: NtpReading = { server: null, offsetMs: 'unknown', measuredAt: null };
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs: number,
    private readonly timeoutMs: number,
  ) {}

  current(): NtpReading {
    return this.reading;
  }

  /** Sets the server (null: none) and measures at once, then every interval. */
  async setServer(server: string | null): Promise<void> {
    this.stop();
    const generation = ++this.generation;
    this.reading = { server, offsetMs: 'unknown', measuredAt: null };
    if (!server) return;
    await this.measure(server, generation);
    if (generation !== this.generation) return;
    this.timer = setInterval(() => void this.measure(server, generation), this.intervalMs);
    this.timer.unref();
  }

  private async measure(server: string, generation: number): Promise<void> {
    try {
      const { offsetMs } = await querySntp(server, this.timeoutMs);
      if (generation !== this.generation) return;
      this.reading = {
        server,
        offsetMs: Math.round(offsetMs * 10) / 10,
        measuredAt: new Date().toISOString(),
      };
      this.logger.info(
        { event: 'ntp.offset', server, offsetMs: this.reading.offsetMs },
        'measured clock offset',
      );
    } catch (err) {
      if (generation !== this.generation) return;
      this.reading = { server, offsetMs: 'unknown', measuredAt: null };
      this.logger.warn(
        { event: 'ntp.unreachable', server, reason: (err as Error).message },
        'NTP server not reachable',
      );
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
