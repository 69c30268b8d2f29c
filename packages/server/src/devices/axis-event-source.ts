// Motion events from a camera's Axis-style event endpoint (the simulator's, see
// packages/simulator/README.md): `GET /axis-cgi/events/poll.cgi` for the current state, then
// `?after=<seq>&timeout=<s>` long-polls for changes. Reconnects with back-off when the camera is lost.
import {
  ReconnectBackoff,
  type MotionEventSource,
  type MotionEventSourceListener,
  type Timers,
} from '../ingest/index.js';
import { CameraHttpClient } from './camera-http-client.js';

export const ARGUS_ERR_EVENT_SOURCE = 'ARGUS_ERR_EVENT_SOURCE';

interface PollEvent {
  seq?: unknown;
  utcMs?: unknown;
  kind?: unknown;
  active?: unknown;
}

export interface AxisEventSourceOptions {
  /** Camera base URL, e.g. http://192.0.2.10:80 */
  baseUrl: string;
  credentials: { user: string; password: string } | null;
  timers: Timers;
  nowMs: () => number;
  random?: () => number;
  /** Long-poll wait, seconds (the camera answers at once when an event arrives). Default 30. */
  pollTimeoutS?: number;
}

export class AxisEventSource implements MotionEventSource {
  readonly kind = 'axis';
  private readonly http: CameraHttpClient;
  private readonly backoff: ReconnectBackoff;
  private abort: AbortController | undefined;
  private retry: unknown;
  private wake: (() => void) | undefined;
  private running = false;
  /** Last state reported (undefined before the first attempt ended): the first failure is reported too. */
  private connected: boolean | undefined;

  constructor(private readonly options: AxisEventSourceOptions) {
    this.http = new CameraHttpClient(options.credentials);
    this.backoff = new ReconnectBackoff({ initialMs: 1000, fastMaxMs: 5000, maxMs: 30_000 }, options.random);
  }

  start(listener: MotionEventSourceListener): void {
    if (this.running) return;
    this.running = true;
    void this.loop(listener);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.options.timers.clearTimeout(this.retry);
    this.abort?.abort();
    this.wake?.();
  }

  private async loop(listener: MotionEventSourceListener): Promise<void> {
    let after: number | undefined;
    // Bounded by stop(): every iteration awaits a request or a back-off delay.
    while (this.running) {
      this.abort = new AbortController();
      const timeoutS = this.options.pollTimeoutS ?? 30;
      const url = new URL('/axis-cgi/events/poll.cgi', this.options.baseUrl);
      if (after !== undefined) {
        url.searchParams.set('after', String(after));
        url.searchParams.set('timeout', String(timeoutS));
      }
      try {
        const res = await this.http.request(url.toString(), {
          timeoutMs: (timeoutS + 10) * 1000,
          signal: this.abort.signal,
        });
        if (res.status !== 200) throw new Error(`event poll answered HTTP ${res.status}`);
        const parsed = JSON.parse(res.body) as { lastSeq?: unknown; events?: unknown };
        if (typeof parsed.lastSeq !== 'number' || !Array.isArray(parsed.events))
          throw new Error('event poll answer is not {lastSeq, events}');
        if (!this.running) return;
        if (this.connected !== true) {
          this.connected = true;
          this.backoff.reset();
          listener.onConnection?.(true);
        }
        for (const e of parsed.events as PollEvent[]) {
          if (e.kind !== 'motion' || typeof e.active !== 'boolean') continue;
          const atMs = typeof e.utcMs === 'number' ? e.utcMs : this.options.nowMs();
          listener.onMotion({ active: e.active, atMs });
        }
        after = parsed.lastSeq;
      } catch (err) {
        if (!this.running) return;
        after = undefined; // after a reconnect, start from the camera's current state
        if (this.connected !== false) {
          this.connected = false;
          listener.onConnection?.(false, {
            code: (err as { code?: string }).code ?? ARGUS_ERR_EVENT_SOURCE,
            message: (err as Error).message,
          });
        }
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          this.retry = this.options.timers.setTimeout(
            resolve,
            this.backoff.nextDelayMs(this.options.nowMs()),
          );
        });
        this.wake = undefined;
      }
    }
  }
}
