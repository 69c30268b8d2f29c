// One camera stream's reconnect loop: open the source, watch for media, declare the stream stalled
// after stallTimeoutMs without an access unit, close and retry with jittered exponential back-off.
// It keeps the online/offline state and the counters the API shows (bitrate, fps, lost, reconnects).
import type { StreamAccessUnit } from '@argus/media';
import type { Clock } from '../base/index.js';
import type { Timers } from './ingest-timers.js';
import { RateMeter } from './rate-meter.js';
import { ReconnectBackoff, type BackoffOptions } from './reconnect-backoff.js';
import type { OpenSource, OpenSourceRequest, SourceTrack, StreamSource } from './stream-source.js';

export const ARGUS_ERR_STREAM_STALLED = 'ARGUS_ERR_STREAM_STALLED';
export const ARGUS_ERR_STREAM_ENDED = 'ARGUS_ERR_STREAM_ENDED';

export type StreamState = 'connecting' | 'online' | 'offline' | 'stopped';

export interface StreamStatus {
  state: StreamState;
  /** Wall time (ms) of the last state change. */
  sinceMs: number;
  bitrateKbps: number;
  fps: number;
  /** RTP packets lost over the session's life (every connection). */
  lostPackets: number;
  /** Connection attempts after the first. */
  reconnects: number;
  /** Why the stream last went offline (stable code and message, never credentials). */
  lastError: { code: string; message: string } | null;
  codec: string | null;
  width: number | null;
  height: number | null;
}

export interface StreamSessionListener {
  onUnit(unit: StreamAccessUnit, session: StreamSession): void;
  /** Called after every state change; lastUnitWallMs is the wall time of the last unit before it. */
  onState(state: StreamState, session: StreamSession): void;
  /** Parameter sets changed mid-stream (the recorder starts a new file). */
  onConfigChange?(session: StreamSession): void;
}

export interface StreamSessionOptions {
  request: OpenSourceRequest;
  openSource: OpenSource;
  clock: Clock;
  timers: Timers;
  random?: () => number;
  backoff?: BackoffOptions;
  /** No access unit for this long (also after connecting) = stalled. Default 10 000 ms. */
  stallTimeoutMs?: number;
  listener: StreamSessionListener;
  log?: (fields: Record<string, unknown>, message: string) => void;
}

const errorCode = (err: unknown): string => {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('ARGUS_ERR_') ? code : 'ARGUS_ERR_STREAM_FAILED';
};

export class StreamSession {
  private source: StreamSource | undefined;
  private attempt = 0;
  private stateValue: StreamState = 'connecting';
  private sinceMs: number;
  private lostBefore = 0;
  private lastError: StreamStatus['lastError'] = null;
  private lastUnitMono = 0;
  private lastUnitWall: number | undefined;
  private retryTimer: unknown;
  private watchdog: unknown;
  private stopped = false;
  private readonly backoff: ReconnectBackoff;
  private readonly meter = new RateMeter();
  private readonly stallMs: number;
  private video: { codec: string; width: number | null; height: number | null } | undefined;

  constructor(private readonly options: StreamSessionOptions) {
    this.backoff = new ReconnectBackoff(options.backoff, options.random);
    this.stallMs = options.stallTimeoutMs ?? 10_000;
    this.sinceMs = options.clock.nowMs();
  }

  get state(): StreamState {
    return this.stateValue;
  }

  /** Wall time (ms) of the newest access unit, if any arrived. */
  get lastUnitWallMs(): number | undefined {
    return this.lastUnitWall;
  }

  /** The current connection's track configurations, once known. */
  tracks(): SourceTrack[] | undefined {
    return this.source?.tracks();
  }

  start(): void {
    if (this.stopped || this.source || this.retryTimer !== undefined) return;
    this.connect();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.options.timers.clearTimeout(this.retryTimer);
    this.options.timers.clearTimeout(this.watchdog);
    this.retryTimer = undefined;
    const source = this.source;
    this.source = undefined;
    if (source) {
      this.lostBefore += source.stats().lostPackets;
      await source.close().catch(() => undefined);
    }
    this.setState('stopped');
  }

  status(): StreamStatus {
    const nowMono = this.options.clock.monotonicMs();
    const { bitrateKbps, fps } =
      this.stateValue === 'online' ? this.meter.rates(nowMono) : { bitrateKbps: 0, fps: 0 };
    return {
      state: this.stateValue,
      sinceMs: this.sinceMs,
      bitrateKbps,
      fps,
      lostPackets: this.lostBefore + (this.source?.stats().lostPackets ?? 0),
      reconnects: Math.max(0, this.attempt - 1),
      lastError: this.lastError,
      codec: this.video?.codec ?? null,
      width: this.video?.width ?? null,
      height: this.video?.height ?? null,
    };
  }

  private connect(): void {
    this.retryTimer = undefined;
    if (this.stopped) return;
    this.attempt++;
    if (this.stateValue !== 'connecting' && this.stateValue !== 'offline') this.setState('connecting');
    this.lastUnitMono = this.options.clock.monotonicMs();
    // Handlers of an older connection may still fire; only the current one counts.
    const ref: { source?: StreamSource } = {};
    const current = (): boolean => ref.source !== undefined && this.source === ref.source;
    const source = (ref.source = this.options.openSource(this.options.request, {
      onUnit: (unit) => {
        if (current()) this.onUnit(unit);
      },
      onConfig: (changed) => {
        if (current() && changed) this.options.listener.onConfigChange?.(this);
      },
      onClose: (err) => {
        if (current())
          this.fail(err ?? { code: ARGUS_ERR_STREAM_ENDED, message: 'the camera ended the stream' });
      },
    }));
    this.source = source;
    source.ready.catch((err: unknown) => {
      if (current()) this.fail(err);
    });
    this.armWatchdog();
  }

  private onUnit(unit: StreamAccessUnit): void {
    const nowMono = this.options.clock.monotonicMs();
    this.lastUnitMono = nowMono;
    this.lastUnitWall = unit.wallTimeMs;
    const au = unit.accessUnit;
    let bytes = 0;
    if (au.kind === 'video') {
      for (const n of au.nalus) bytes += n.length;
      const info = unit.info;
      this.video = {
        codec: info.codecString || au.codec,
        width: info.width ?? null,
        height: info.height ?? null,
      };
    } else bytes = au.data.length;
    this.meter.add(nowMono, bytes, au.kind === 'video');
    if (this.stateValue !== 'online') {
      this.backoff.reset();
      this.lastError = null;
      this.setState('online');
    }
    this.options.listener.onUnit(unit, this);
  }

  private armWatchdog(): void {
    this.options.timers.clearTimeout(this.watchdog);
    const period = Math.max(50, Math.min(1000, this.stallMs / 4));
    this.watchdog = this.options.timers.setTimeout(() => {
      this.watchdog = undefined;
      if (this.stopped || !this.source) return;
      if (this.options.clock.monotonicMs() - this.lastUnitMono >= this.stallMs) {
        this.fail({ code: ARGUS_ERR_STREAM_STALLED, message: `no media for ${this.stallMs / 1000} s` });
        return;
      }
      this.armWatchdog();
    }, period);
  }

  private fail(err: unknown): void {
    if (this.stopped) return;
    const source = this.source;
    this.source = undefined;
    this.options.timers.clearTimeout(this.watchdog);
    this.watchdog = undefined;
    if (source) {
      this.lostBefore += source.stats().lostPackets;
      void source.close().catch(() => undefined);
    }
    const message =
      err instanceof Error ? err.message : String((err as { message?: unknown }).message ?? err);
    this.lastError = { code: errorCode(err), message };
    this.meter.reset();
    const delayMs = this.backoff.nextDelayMs(this.options.clock.monotonicMs());
    this.options.log?.(
      { code: this.lastError.code, retryInMs: delayMs, attempt: this.attempt },
      `stream offline: ${message}`,
    );
    this.setState('offline');
    if (this.stopped) return;
    this.retryTimer = this.options.timers.setTimeout(() => this.connect(), delayMs);
  }

  private setState(state: StreamState): void {
    if (state === this.stateValue) return;
    this.stateValue = state;
    this.sinceMs = this.options.clock.nowMs();
    this.options.listener.onState(state, this);
  }
}
