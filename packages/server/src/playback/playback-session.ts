// One playback viewer: pulls PlaybackItems and sends them paced to the chosen speed (media time /
// speed, a lead of `leadMs` so the browser always has a little buffered), obeys speed, pause,
// resume and seek from the client, waits (never drops) while the socket is behind, and skips the
// real duration of holes (a `gap` is announced and the next footage follows at once).
import { StreamCloseCodes, StreamErrorCodes, type StreamServerMessage } from '@argus/api';
import type { Clock } from '../base/index.js';
import type { PlaybackItem } from './playback-source.js';

export interface PlaybackTransport {
  sendText(text: string): void;
  sendBinary(bytes: Uint8Array): void;
  readonly bufferedBytes: number;
  close(code: number, reason: string): void;
}

export interface PlaybackSessionOptions {
  clock: Clock;
  transport: PlaybackTransport;
  /** Opens the item sequence from a time (ms); `keyframesOnly` is read per fragment. */
  open: (
    startMs: number,
    reason: 'start' | 'seek',
    keyframesOnly: () => boolean,
  ) => AsyncGenerator<PlaybackItem>;
  startMs: number;
  speed: number;
  stream: 'main' | 'sub';
  /** Media sent ahead of the paced position, in real time. Default 1000 ms. */
  leadMs?: number;
  /** Wait while more than this is queued on the socket. Default 2 MiB. */
  highWaterBytes?: number;
  /** Longest single wait step (so control messages act quickly). Default 50 ms. */
  tickMs?: number;
  sleep?: (ms: number) => Promise<void>;
  onError?: (err: unknown) => void;
}

export const PLAYBACK_SPEEDS = [1, 2, 4, 8, 16, 32, 64] as const;
/** At and above this speed only key frames are sent. */
export const KEYFRAMES_ONLY_SPEED = 16;

export class PlaybackSession {
  private speed: number;
  private paused = false;
  /** Pacing anchor: media time (90 kHz) `media90k` is due at monotonic `realMs`. */
  private anchor: { realMs: number; media90k: number } | undefined;
  private generation = 0;
  private closed = false;
  private running: Promise<void> = Promise.resolve();
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly o: PlaybackSessionOptions) {
    this.speed = o.speed;
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  start(): void {
    this.run(this.o.startMs, 'start');
  }

  setSpeed(speed: number): void {
    if (!PLAYBACK_SPEEDS.includes(speed as (typeof PLAYBACK_SPEEDS)[number])) return;
    this.reanchor();
    this.speed = speed;
  }

  pause(): void {
    if (this.paused) return;
    this.reanchor();
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    if (this.anchor) this.anchor = { realMs: this.o.clock.monotonicMs(), media90k: this.anchor.media90k };
  }

  seek(startMs: number): void {
    this.run(startMs, 'seek');
  }

  /** Stops sending (the socket closed); resolves when the reader has let go of its files. */
  async close(): Promise<void> {
    this.closed = true;
    this.generation++;
    await this.running;
  }

  private run(startMs: number, reason: 'start' | 'seek'): void {
    const gen = ++this.generation;
    const previous = this.running;
    this.running = previous
      .then(() => this.loop(gen, startMs, reason))
      .catch((err: unknown) => {
        this.o.onError?.(err);
      });
  }

  private current(gen: number): boolean {
    return !this.closed && gen === this.generation;
  }

  private async loop(gen: number, startMs: number, reason: 'start' | 'seek'): Promise<void> {
    if (!this.current(gen)) return;
    this.anchor = undefined;
    const items = this.o.open(startMs, reason, () => this.speed >= KEYFRAMES_ONLY_SPEED);
    let begun = false;
    try {
      for await (const item of items) {
        if (!this.current(gen)) return;
        switch (item.kind) {
          case 'init':
            begun = true;
            this.send({
              type: 'init',
              mimeType: item.mimeType,
              codecs: item.codecs,
              width: item.width,
              height: item.height,
              stream: this.o.stream,
              reason: item.reason,
            });
            this.o.transport.sendBinary(item.bytes);
            break;
          case 'position':
            this.send({ type: 'position', startWallMs: item.startWallMs, skipSeconds: item.skipSeconds });
            this.anchor = {
              realMs: this.o.clock.monotonicMs(),
              media90k: Math.round(item.skipSeconds * 90_000),
            };
            break;
          case 'gap':
            this.send({
              type: 'gap',
              fromWallMs: item.fromWallMs,
              toWallMs: item.toWallMs,
              cause: item.cause,
            });
            // The hole is not waited out: the next fragment re-anchors the pacing.
            this.anchor = undefined;
            break;
          case 'fragment':
            if (!(await this.waitUntilDue(gen, item.decodeTime))) return;
            this.send({
              type: 'fragment',
              wallMs: item.wallMs,
              decodeTime: item.decodeTime,
              timescale: 90_000,
              isKey: item.isKey,
            });
            this.o.transport.sendBinary(item.bytes);
            break;
          case 'end':
            if (!begun) {
              this.send({
                type: 'error',
                code: StreamErrorCodes.NO_RECORDINGS,
                message: 'Nothing is recorded at or after this time',
              });
              this.o.transport.close(StreamCloseCodes.policy, StreamErrorCodes.NO_RECORDINGS);
              return;
            }
            this.send({ type: 'end', reason: 'end-of-recordings' });
            return;
        }
      }
    } finally {
      await items.return(undefined);
    }
  }

  /** Waits until media time `decode90k` is within the lead of the paced position and the socket has room. */
  private async waitUntilDue(gen: number, decode90k: number): Promise<boolean> {
    const tick = this.o.tickMs ?? 50;
    const lead = this.o.leadMs ?? 1000;
    const high = this.o.highWaterBytes ?? 2 << 20;
    this.anchor ??= { realMs: this.o.clock.monotonicMs(), media90k: decode90k };
    for (let i = 0; i < 10_000_000; i++) {
      if (!this.current(gen)) return false;
      const now = this.o.clock.monotonicMs();
      const dueMs = this.anchor.realMs + (decode90k - this.anchor.media90k) / 90 / this.speed - lead;
      const waitMs = this.paused ? tick : Math.max(0, dueMs - now);
      if (waitMs <= 0 && this.o.transport.bufferedBytes <= high) return true;
      await this.sleep(Math.min(tick, Math.max(1, waitMs)));
    }
    return false;
  }

  /** Moves the anchor to the current paced position (before a speed change or a pause). */
  private reanchor(): void {
    if (this.anchor === undefined || this.paused) return;
    const now = this.o.clock.monotonicMs();
    const media90k = this.anchor.media90k + (now - this.anchor.realMs) * 90 * this.speed;
    this.anchor = { realMs: now, media90k };
  }

  private send(message: StreamServerMessage): void {
    if (!this.closed) this.o.transport.sendText(JSON.stringify(message));
  }
}
