// One live viewer's flow control. Fragments are offered as the stream produces them; the decision
// to send or skip is taken at key frames only, so a viewer receives whole GOPs or none (a GOP is
// cut short only past a hard byte limit, and what was sent of it still decodes). A viewer whose
// socket drains slower than the stream loses GOPs (`dropped`); one stuck for longer than maxLagMs
// restarts at the live edge with a new init ('jump-to-live'). Memory per viewer stays under
// hardLimitBytes plus one fragment.
import type { StreamServerMessage } from '@argus/api';
import type { Clock } from '../base/index.js';
import type { LiveFragment, LiveInit } from './live-muxer.js';
import type { StreamTransport } from './stream-transport.js';

export interface LiveViewerLimits {
  /** At a key frame, skip the GOP while more than this is queued. Default 1 MiB. */
  highWaterBytes?: number;
  /** Mid-GOP, drop the rest of the GOP past this. Default 8 MiB. */
  hardLimitBytes?: number;
  /** At a key frame, skip the GOP while the oldest queued fragment is older than this. Default 1000 ms. */
  maxQueueDelayMs?: number;
  /** Queue delay past which the viewer restarts at the live edge with a new init. Default 3000 ms. */
  maxLagMs?: number;
}

export interface LiveViewerStats {
  bufferedBytes: number;
  droppedGops: number;
  jumpsToLive: number;
  fragmentsSent: number;
  bytesSent: number;
}

type InitReason = Extract<StreamServerMessage, { type: 'init' }>['reason'];

export class LiveViewer {
  private init: LiveInit | undefined;
  /** The init of the current epoch has been sent. */
  private started = false;
  private initReason: InitReason = 'start';
  private skipping = false;
  private pendingDrops = 0;
  private jumpPending = false;
  private closed = false;
  /** Monotonic send times of fragments not yet flushed to the socket, oldest first. */
  private readonly unflushed: number[] = [];
  private readonly stats: LiveViewerStats = {
    bufferedBytes: 0,
    droppedGops: 0,
    jumpsToLive: 0,
    fragmentsSent: 0,
    bytesSent: 0,
  };
  private readonly highWater: number;
  private readonly hardLimit: number;
  private readonly maxQueueDelayMs: number;
  private readonly maxLagMs: number;

  constructor(
    readonly transport: StreamTransport,
    readonly stream: 'main' | 'sub',
    private readonly clock: Clock,
    limits: LiveViewerLimits = {},
  ) {
    this.highWater = limits.highWaterBytes ?? 1 << 20;
    this.hardLimit = limits.hardLimitBytes ?? 8 << 20;
    this.maxQueueDelayMs = limits.maxQueueDelayMs ?? 1000;
    this.maxLagMs = limits.maxLagMs ?? 3000;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  snapshot(): LiveViewerStats {
    return { ...this.stats, bufferedBytes: this.transport.bufferedBytes };
  }

  /** A new epoch (first media, reconnect, codec change): the next key frame starts with its init. */
  setInit(init: LiveInit | undefined, reason: InitReason = 'start'): void {
    this.init = init;
    this.started = false;
    this.initReason = reason;
  }

  /** Sends the init and a catch-up burst (the GOP so far, first fragment a key frame) at once. */
  startWith(init: LiveInit, burst: readonly LiveFragment[], reason: InitReason): void {
    this.init = init;
    this.sendInit(reason);
    for (const f of burst) this.sendFragment(f);
  }

  /** Offers the stream's newest fragment. */
  offer(fragment: LiveFragment): void {
    if (this.closed || this.init === undefined) return;
    if (!fragment.isKey) {
      if (!this.started || this.skipping) return;
      if (this.transport.bufferedBytes > this.hardLimit) {
        this.skipping = true;
        this.countDrop();
        return;
      }
      this.sendFragment(fragment);
      return;
    }
    const delayMs = this.queueDelayMs();
    if (this.started && delayMs > this.maxLagMs) this.jumpPending = true;
    if (this.started && (this.transport.bufferedBytes > this.highWater || delayMs > this.maxQueueDelayMs)) {
      // Behind: skip this whole GOP; a socket stuck past maxLagMs resumes with a jump to live.
      this.skipping = true;
      this.countDrop();
      return;
    }
    this.skipping = false;
    if (this.pendingDrops > 0) {
      this.send({ type: 'dropped', gops: this.pendingDrops, reason: 'slow-viewer' });
      this.pendingDrops = 0;
    }
    if (!this.started) this.sendInit(this.initReason);
    else if (this.jumpPending) {
      this.jumpPending = false;
      this.stats.jumpsToLive++;
      this.sendInit('jump-to-live');
    }
    this.sendFragment(fragment);
  }

  send(message: StreamServerMessage): void {
    if (this.closed) return;
    this.transport.sendText(JSON.stringify(message));
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.transport.close(code, reason);
  }

  private countDrop(): void {
    this.stats.droppedGops++;
    this.pendingDrops++;
  }

  private queueDelayMs(): number {
    const oldest = this.unflushed[0];
    return oldest === undefined ? 0 : this.clock.monotonicMs() - oldest;
  }

  private sendInit(reason: InitReason): void {
    const init = this.init!;
    this.send({
      type: 'init',
      mimeType: init.mimeType,
      codecs: init.codecs,
      width: init.width,
      height: init.height,
      stream: this.stream,
      reason,
    });
    this.transport.sendBinary(init.bytes);
    this.started = true;
  }

  private sendFragment(f: LiveFragment): void {
    if (this.closed) return;
    this.send({
      type: 'fragment',
      wallMs: f.wallMs,
      decodeTime: f.decodeTime,
      timescale: 90_000,
      isKey: f.isKey,
    });
    this.unflushed.push(this.clock.monotonicMs());
    this.transport.sendBinary(f.bytes, () => this.unflushed.shift());
    this.stats.fragmentsSent++;
    this.stats.bytesSent += f.bytes.length;
  }
}
