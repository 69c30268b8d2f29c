// Recorded video for the HTTP layer: playback sessions over a socket, the fragmented-MP4 stream of
// a range, and MP4 downloads (layouts cached briefly, so the byte ranges a player asks for one after
// another all come from the same layout, even while the range's last file is still growing).
import type { Clock, Logger } from '../base/index.js';
import type { Catalog } from '../db/index.js';
import { planDownload, type DownloadPlan } from './mp4-download.js';
import { PlaybackSession, type PlaybackTransport } from './playback-session.js';
import { playbackItems } from './playback-source.js';
import { RecordingIndex } from './recording-index.js';
import { SampleReader } from './sample-reader.js';

export interface PlaybackServiceOptions {
  catalog: Catalog;
  clock: Clock;
  logger: Logger;
  /** Download layouts kept for repeated range requests. Default 8, for 10 minutes. */
  planCacheSize?: number;
  planCacheMs?: number;
}

export interface PlaybackOpen {
  streamId: number;
  stream: 'main' | 'sub';
  startMs: number;
  speed: number;
  transport: PlaybackTransport;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class PlaybackService {
  private readonly index: RecordingIndex;
  private readonly plans = new Map<string, { atMs: number; plan: Promise<DownloadPlan | undefined> }>();

  constructor(private readonly o: PlaybackServiceOptions) {
    this.index = new RecordingIndex(o.catalog);
  }

  /** Starts a paced playback over a socket; the caller forwards control messages and close(). */
  session(p: PlaybackOpen): PlaybackSession {
    const s = new PlaybackSession({
      clock: this.o.clock,
      transport: p.transport,
      startMs: p.startMs,
      speed: p.speed,
      stream: p.stream,
      open: (startMs, reason, keyframesOnly) =>
        playbackItems({
          index: this.index,
          streamId: p.streamId,
          start90k: Math.round(startMs * 90),
          keyframesOnly,
          initReason: reason,
          now90k: () => this.o.clock.nowMs() * 90,
          sleep,
        }),
      onError: (err) => {
        this.o.logger.error({ err, streamId: p.streamId }, 'playback failed');
        p.transport.sendText(
          JSON.stringify({
            type: 'error',
            code: 'ARGUS_ERR_INTERNAL',
            message: 'Playback failed; try again',
          }),
        );
        p.transport.close(1011, 'playback failed');
      },
    });
    s.start();
    return s;
  }

  /** The recordings of [startMs, endMs) as one fragmented MP4 (init, then fragments), unpaced. */
  async *fragmentedMp4(streamId: number, startMs: number, endMs: number): AsyncGenerator<Uint8Array> {
    const items = playbackItems({
      index: this.index,
      streamId,
      start90k: Math.round(startMs * 90),
      end90k: Math.round(endMs * 90),
      now90k: () => this.o.clock.nowMs() * 90,
      sleep,
    });
    for await (const item of items) {
      if (item.kind === 'init' || item.kind === 'fragment') yield item.bytes;
      if (item.kind === 'end') return;
    }
  }

  /** Whether anything is recorded in [startMs, endMs). */
  async hasRecordings(streamId: number, startMs: number, endMs: number): Promise<boolean> {
    return (
      (await this.index.segmentAt(streamId, Math.round(startMs * 90), Math.round(endMs * 90))) !== undefined
    );
  }

  /** The MP4 layout of a range (cached); undefined when nothing is recorded there. */
  download(streamId: number, startMs: number, endMs: number): Promise<DownloadPlan | undefined> {
    const now = this.o.clock.monotonicMs();
    const ttl = this.o.planCacheMs ?? 600_000;
    for (const [k, v] of this.plans) if (now - v.atMs > ttl) this.plans.delete(k);
    const key = `${streamId}:${startMs}:${endMs}`;
    const hit = this.plans.get(key);
    if (hit !== undefined) return hit.plan;
    const plan = planDownload({
      index: this.index,
      streamId,
      start90k: Math.round(startMs * 90),
      end90k: Math.round(endMs * 90),
    });
    plan.catch(() => this.plans.delete(key));
    this.plans.set(key, { atMs: now, plan });
    while (this.plans.size > (this.o.planCacheSize ?? 8)) this.plans.delete(this.plans.keys().next().value!);
    return plan;
  }

  /** Bytes [start, endExclusive) of a planned download. */
  async *downloadBytes(plan: DownloadPlan, start: number, endExclusive: number): AsyncGenerator<Uint8Array> {
    const reader = new SampleReader(plan.segments, (seg) => this.index.openFile(seg));
    try {
      yield* plan.file.range(start, endExclusive, reader.read);
    } finally {
      await reader.close();
    }
  }
}
